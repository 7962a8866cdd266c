package io.rotor.transport;

import io.rotor.config.HttpTransportOptions;
import io.rotor.config.RotorOptions;
import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.rotor.transport.emulation.EmulationHandler;
import io.rotor.transport.emulation.EmulationRouter;
import io.rotor.transport.emulation.EmulationSessions;
import io.rotor.transport.stream.StreamEndpoint;
import io.rotor.transport.uni.UniWebSocketHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * Mounts the transports other than WebSocket and SockJS that are enabled: the emulation pair
 * (http_stream, sse, with /emulation) and the unidirectional ones.
 */
public final class Transports {

  private Transports() {
  }

  public static void mount(Router router, Node node, Hub hub, TransportSessions services) {
    RotorOptions o = node.options();
    boolean emulation = o.getHttpStream().isEnabled() || o.getSse().isEnabled();
    EmulationSessions sessions = emulation ? services.emulation() : null;
    stream(router, node, hub, "/connection/http_stream", o.getHttpStream(), StreamEndpoint.Kind.HTTP_STREAM, sessions);
    stream(router, node, hub, "/connection/sse", o.getSse(), StreamEndpoint.Kind.SSE, sessions);
    stream(router, node, hub, "/connection/uni_http_stream", o.getUniHttpStream(), StreamEndpoint.Kind.UNI_HTTP_STREAM, null);
    stream(router, node, hub, "/connection/uni_sse", o.getUniSse(), StreamEndpoint.Kind.UNI_SSE, null);
    if (emulation) {
      router.route("/emulation")
          .handler(body(o.getEmulation().getMaxRequestBodySize()))
          .handler(new EmulationHandler(node, EmulationRouter.of(node, sessions, services.routes().emulation())));
    }
    if (o.getUniWebsocket().isEnabled()) {
      router.route("/connection/uni_websocket").handler(new UniWebSocketHandler(node, hub));
    }
  }

  private static void stream(Router router, Node node, Hub hub, String path, HttpTransportOptions options,
      StreamEndpoint.Kind kind, EmulationSessions sessions) {
    if (options.isEnabled()) {
      router.route(path)
          .handler(body(options.getMaxRequestBodySize()))
          .handler(new StreamEndpoint(node, hub, kind, options.getMaxRequestBodySize(), sessions));
    }
  }

  /**
   * The body, bounded. Form and multipart bodies never reach Vert.x's form decoder (which answers
   * malformed ones, or a GET carrying the type, with 500): these endpoints speak JSON only.
   */
  private static Handler<RoutingContext> body(int limit) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);
    return ctx -> {
      String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
      if (t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded")) {
        ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .end("form bodies are not accepted: send JSON");
        return;
      }
      body.handle(ctx);
    };
  }
}
