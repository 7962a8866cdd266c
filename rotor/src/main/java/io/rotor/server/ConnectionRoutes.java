package io.rotor.server;

import io.rotor.admin.AdminRoutes;
import io.rotor.admin.LoginThrottle;
import io.rotor.api.ServerApi;
import io.rotor.hub.Hub;
import io.rotor.metrics.OpsRoutes;
import io.rotor.node.Node;
import io.rotor.transport.OriginCheck;
import io.rotor.transport.TransportSessions;
import io.rotor.transport.Transports;
import io.rotor.transport.sockjs.SockJsHandler;
import io.rotor.transport.websocket.WebSocketHandler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The routes of one event loop's connections, bound to that loop's Hub: operator endpoints, every
 * enabled transport, the admin page. Served by a {@link ConnectionVerticle} on Rotor's own port, or
 * mounted on an embedding host's router (one such router per host event loop).
 */
public final class ConnectionRoutes {

  private ConnectionRoutes() {
  }

  public static Router router(Vertx vertx, Node node, ServerApi api, Hub hub, TransportSessions sessions,
      LoginThrottle adminLogins) {
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, node, !InternalVerticle.enabled(node.options()));
    OpsRoutes.refuseConnectionsWhileDraining(router, node);
    if (!node.options().getWebsocket().isDisabled()) {
      router.route("/connection/websocket").handler(new WebSocketHandler(node, hub));
    }
    if (node.options().getSockjs().isEnabled()) {
      router.route("/connection/sockjs/*").subRouter(SockJsHandler.router(vertx, node, hub, sessions));
    }
    Transports.mount(router, node, hub, sessions);
    if (node.options().getAdmin().isEnabled()) {
      // The admin page's live view needs this loop's Hub, so it stays on the public server.
      AdminRoutes.mount(router, node, api, adminLogins, new WebSocketHandler(node, hub, OriginCheck.ANY));
    }
    return router;
  }
}
