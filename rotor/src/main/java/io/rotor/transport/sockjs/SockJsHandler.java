package io.rotor.transport.sockjs;

import io.rotor.client.Client;
import io.rotor.config.SockJsOptions;
import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.rotor.transport.OriginCheck;
import io.rotor.transport.TransportSessions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code /connection/sockjs}: Vert.x Web's SockJS server with a {@link Client} per session.
 *
 * <p>Every request passes the {@code client.allowed_origins} check first: SockJSHandler itself
 * reflects any Origin with credentials and upgrades WebSockets from anywhere.
 */
public final class SockJsHandler {

  /** The receiving requests of the HTTP transports (not xhr_send / jsonp_send). */
  private static final Pattern RECEIVING = Pattern.compile("/(xhr|xhr_streaming|eventsource|htmlfile|jsonp)$");

  private SockJsHandler() {
  }

  /** The router to mount under {@code /connection/sockjs/*}. */
  public static Router router(Vertx vertx, Node node, Hub hub, TransportSessions services) {
    SockJsOptions o = node.options().getSockjs();
    SockJSHandlerOptions options = new SockJSHandlerOptions()
        .setSessionTimeout(o.getSessionTimeout().toMillis())
        .setHeartbeatInterval(o.getHeartbeatInterval().toMillis())
        .setMaxBytesStreaming(o.getMaxBytesStreaming())
        // Rotor keeps no web session; the dummy cookie only confuses sticky-session balancers.
        .setInsertJSESSIONID(false);
    if (!o.isIframeTransports()) {
      options.addDisabledTransport(Transport.HTML_FILE.name());
      options.addDisabledTransport(Transport.JSON_P.name());
    }
    if (!o.getLibraryUrl().isEmpty()) {
      options.setLibraryURL(o.getLibraryUrl());
    }
    OriginCheck origins = new OriginCheck(node.options().getClient().getAllowedOrigins());
    int queueMaxSize = node.options().getClient().getQueueMaxSize();
    SockJsSessions sessions = services.sockJs();
    SockJsAdmission admission = new SockJsAdmission(vertx, node.connectionLimiter(), sessions);
    Router router = Router.router(vertx);
    router.route().handler(ctx -> checkOrigin(ctx, origins, o.isIframeTransports()));
    // Before the BodyHandler: a request for a session another node holds is proxied there whole
    // (and takes no connection slot here).
    router.route().handler(new SockJsForwarder(vertx, sessions, services.routes().sockJsOwners()));
    router.route().handler(ctx -> {
      if (admission.admit(ctx)) {
        ctx.next();
      }
    });
    // SockJSHandler needs the body of xhr_send / jsonp_send parsed before it runs; a send is bounded
    // like a WebSocket message.
    router.post().handler(BodyHandler.create(false).setBodyLimit(node.options().getWebsocket().getMessageSizeLimit()));
    Router sockjs = SockJSHandler.create(vertx, options)
        .socketHandler(socket -> bind(node, hub, sessions, socket, queueMaxSize, admission));
    router.route("/*").subRouter(sockjs);
    return router;
  }

  private static void checkOrigin(RoutingContext ctx, OriginCheck origins, boolean iframes) {
    String path = ctx.normalizedPath();
    if (!iframes && path.contains("/iframe")) {
      // The iframe page loads sockjs-client from library_url and relays for any embedding origin.
      ctx.response().setStatusCode(404).end();
      return;
    }
    if (!origins.allowed(ctx.request().getHeader(HttpHeaders.ORIGIN))) {
      ctx.response().setStatusCode(403).end("Forbidden origin");
      return;
    }
    if (RECEIVING.matcher(path).find()) {
      // Vert.x closes the TCP connection after every polling or streaming response without saying
      // so; keep-alive clients (Node's agent, browsers) would send the next request into the dead
      // socket and lose it. Announce the close.
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    ctx.next();
  }

  private static void bind(Node node, Hub hub, SockJsSessions sessions, SockJSSocket socket, int queueMaxSize,
      SockJsAdmission admission) {
    Runnable release = admission.claim(socket);
    if (release == null) {
      socket.close();
      return;
    }
    socket.setWriteQueueMaxSize(queueMaxSize);
    String session = socket.uri() == null ? null : SockJsForwarder.session(socket.uri().split("\\?", 2)[0]);
    if (session != null) {
      sessions.add(session);
    }
    Client client = new Client(node, hub, new SockJsTransport(socket));
    Context context = hub.context();
    // A session's later requests (xhr_send, a new poll) may arrive on another event loop: the
    // Client runs on its own.
    socket.handler(message -> onContext(context, () -> client.onFrame(message.getBytes())));
    socket.closeHandler(v -> {
      if (session != null) {
        sessions.remove(session);
      }
      release.run();
      onContext(context, client::onTransportClosed);
    });
    client.start();
  }

  private static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
