package io.rotor.impl;

import io.rotor.api.ApiHandler;
import io.rotor.api.ApiRoutes;
import io.rotor.server.ConnectionRoutes;
import io.rotor.server.RotorServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Rotor on a host's router under a prefix. The server API is answered straight from the request
 * (as on Rotor's own port); everything else goes to the routes of the calling event loop, built once
 * per loop around that loop's Hub ({@link ConnectionRoutes}). Until the node runs, 503.
 */
final class MountedRoutes {

  private final String prefix;
  private final Supplier<Running> running;
  private final Map<Thread, Router> byLoop = new ConcurrentHashMap<>();
  private volatile ApiHandler api;

  /** What the routes need of a started node. */
  record Running(RotorServer server, LoopHubs hubs) {
  }

  MountedRoutes(String prefix, Supplier<Running> running) {
    this.prefix = prefix;
    this.running = running;
  }

  void mountOn(Router router) {
    router.route(prefix + "/*").handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    Running r = running.get();
    if (r == null) {
      ctx.response().setStatusCode(503).end("Rotor is not running");
      return;
    }
    RotorServer server = r.server();
    HttpServerRequest req = ctx.request();
    ApiHandler apiHandler = api;
    if (apiHandler == null) {
      apiHandler = new ApiHandler(server.api(), server.node().options().getHttpApi(), ApiRoutes.BODY_LIMIT, prefix);
      api = apiHandler;
    }
    if (apiHandler.matches(req)) {
      if (ctx.body().available()) {
        apiHandler.handle(req, ctx.body().buffer()); // a body handler of the host read it already
      } else {
        apiHandler.handle(req);
      }
      return;
    }
    Router loop;
    try {
      loop = byLoop.computeIfAbsent(Thread.currentThread(), t -> ConnectionRoutes.router(server.node().vertx(),
          server.node(), server.api(), r.hubs().current(), server.sessions(), server.adminLogins()));
    } catch (IllegalStateException e) {
      ctx.fail(500, e);
      return;
    }
    loop.handleContext(ctx);
  }
}
