package io.rotor.server;

import io.rotor.api.ApiRoutes;
import io.rotor.api.ServerApi;
import io.rotor.hub.Hub;
import io.rotor.limits.HeaderTimeout;
import io.rotor.node.Node;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * One per event loop: a Hub for the connections accepted on this loop, and the HTTP routes. All
 * instances listen on the same port; Vert.x spreads connections over them.
 */
final class ConnectionVerticle extends VerticleBase {

  private final Node node;
  private final ServerApi api;
  private final io.rotor.admin.LoginThrottle adminLogins;
  private final io.rotor.transport.TransportSessions sessions;
  private final String host;
  private final int port;
  private Hub hub;
  private HttpServer server;

  ConnectionVerticle(Node node, ServerApi api, io.rotor.transport.TransportSessions sessions,
      io.rotor.admin.LoginThrottle adminLogins, String host, int port) {
    this.node = node;
    this.api = api;
    this.sessions = sessions;
    this.adminLogins = adminLogins;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    hub = new Hub(context);
    node.addHub(hub);
    int limit = node.options().getWebsocket().getMessageSizeLimit();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        // Every write to a connection happens on its own event loop (the Hub's context), so Vert.x can
        // write straight to the channel: no outbound message queue per connection (one 1024-slot
        // MPSC queue, ~4.7 KB per idle WebSocket) and no hand-off per write. A response written from
        // another thread fails; answer on the request's context.
        .setStrictThreadMode(true)
        // No permessage-deflate / deflate-frame negotiation (Centrifugo's websocket compression is
        // off by default too): the handshake skips building the extension handshakers.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setAcceptBacklog(4096)
        .setMaxWebSocketFrameSize(limit)
        .setMaxWebSocketMessageSize(limit)
        .setWebSocketSubProtocols(List.of("centrifuge-json", "centrifuge-protobuf"));
    // Clients speak HTTP/1.1 (WebSocket, streams); h2c would also hide new connections from the
    // header timeout until their first request.
    options.setHttp2ClearTextEnabled(false);
    HeaderTimeout headerTimeout = new HeaderTimeout(node.options().getHttpServer().getReadHeaderTimeout().toMillis(),
        node.options().getHttpServer().getReadTimeout().toMillis());
    Router router = ConnectionRoutes.router(vertx, node, api, hub, sessions, adminLogins);
    server = vertx.createHttpServer(options)
        .connectionHandler(headerTimeout::onConnection)
        .requestHandler(InternalVerticle.enabled(node.options())
            ? router
            : ApiRoutes.inFrontOf(router, api, node.options().getHttpApi()));
    return server.listen();
  }

  /** The port this verticle's server listens on. */
  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    node.removeHub(hub);
    return Future.succeededFuture();
  }
}
