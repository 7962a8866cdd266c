package io.rotor.server;

import io.rotor.api.ApiRoutes;
import io.rotor.api.ServerApi;
import io.rotor.config.RotorOptions;
import io.rotor.metrics.OpsRoutes;
import io.rotor.node.Node;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * {@code http_server.internal_port}: the server API, health, readiness and metrics on a port of its own, meant for a
 * private interface, so the public port serves only client connections.
 */
final class InternalVerticle extends VerticleBase {

  private final Node node;
  private final ServerApi api;
  private final RotorOptions options;
  private HttpServer server;

  InternalVerticle(Node node, ServerApi api) {
    this.node = node;
    this.api = api;
    this.options = node.options();
  }

  static boolean enabled(RotorOptions options) {
    return options.getHttpServer().getInternalPort() > 0;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.mount(router, node);
    String address = options.getHttpServer().getInternalAddress();
    if (address.isEmpty()) {
      address = options.getHttpServer().getAddress().isEmpty() ? "0.0.0.0" : options.getHttpServer().getAddress();
    }
    server = vertx.createHttpServer(new HttpServerOptions().setHost(address)
        .setPort(options.getHttpServer().getInternalPort())).requestHandler(ApiRoutes.inFrontOf(router, api, options.getHttpApi()));
    return server.listen();
  }
}
