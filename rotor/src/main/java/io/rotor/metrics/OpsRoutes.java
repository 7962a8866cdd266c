package io.rotor.metrics;

import io.rotor.node.Node;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The operator endpoints: {@code GET /health} (liveness: the process answers), {@code GET /ready}
 * (readiness: 503 once the node is shutting down, so load balancers stop sending clients) and
 * {@code GET /metrics} (Prometheus, with {@code prometheus.enabled}). One call adds them to any
 * router, the main one or an internal one.
 */
public final class OpsRoutes {

  private OpsRoutes() {
  }

  /** Once shutdown starts, new client connections get 503 (they go to another node) while the rest drains. */
  public static void refuseConnectionsWhileDraining(Router router, Node node) {
    router.route("/connection/*").handler(ctx -> {
      if (node.draining()) {
        ctx.response().setStatusCode(503).end("shutting down");
      } else {
        ctx.next();
      }
    });
  }

  /** Health, readiness and (when enabled) metrics. */
  public static void mount(Router router, Node node) {
    mount(router, node, true);
  }

  /**
   * Health and readiness, plus metrics when enabled and {@code withMetrics}: the public port leaves
   * metrics to {@code http_server.internal_port} when that is set.
   */
  public static void mount(Router router, Node node, boolean withMetrics) {
    // Health stays 200 when degraded: a restart cures nothing when the engine itself is away.
    router.get("/health").handler(ctx -> ctx.json(new JsonObject()
        .put("status", node.degraded() ? "degraded" : "ok").put("liveness", node.livenessStatus())));
    router.get("/ready").handler(ctx -> {
      if (node.draining()) {
        ctx.response().setStatusCode(503);
        ctx.json(new JsonObject().put("status", "shutting down"));
      } else if (node.degraded()) {
        ctx.response().setStatusCode(503);
        ctx.json(new JsonObject().put("status", "degraded").put("liveness", node.livenessStatus()));
      } else {
        ctx.json(new JsonObject().put("status", "ready"));
      }
    });
    // Only a Prometheus registry can be scraped; an embedding host with another kind exports its own way.
    if (withMetrics && node.options().getPrometheus().isEnabled()
        && node.metrics().registry() instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
  }
}
