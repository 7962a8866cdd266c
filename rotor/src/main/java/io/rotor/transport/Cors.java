package io.rotor.transport;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the HTTP transports, governed by {@code client.allowed_origins}: an allowed Origin is
 * echoed with credentials, any other is refused with 403 before the request reaches the transport.
 */
public final class Cors {

  private final OriginCheck origins;
  private final String methods;

  public Cors(OriginCheck origins, String methods) {
    this.origins = origins;
    this.methods = methods;
  }

  /**
   * Adds the CORS headers for an allowed origin and returns true; answers 403 and returns false for
   * a refused one. Requests without an Origin (non-browser clients) pass untouched.
   */
  public boolean allow(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      return true;
    }
    if (!origins.allowed(origin)) {
      ctx.response().setStatusCode(403).end("Forbidden origin");
      return false;
    }
    HttpServerResponse r = ctx.response();
    r.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    r.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    r.putHeader(HttpHeaders.VARY, "Origin");
    String requested = ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requested != null) {
      r.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, requested);
    }
    return true;
  }

  /**
   * The common front of the HTTP transport endpoints: answers a preflight (204), another method
   * than {@code allowed} (405) or a refused origin (403) and returns false; otherwise adds the CORS
   * headers and returns true.
   */
  public boolean admit(RoutingContext ctx, Set<HttpMethod> allowed) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.OPTIONS) {
      preflight(ctx);
      return false;
    }
    if (!allowed.contains(method)) {
      ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, methods).end();
      return false;
    }
    return allow(ctx);
  }

  /** A preflight: 204 with the allowed methods, cached for five minutes. */
  public void preflight(RoutingContext ctx) {
    if (allow(ctx)) {
      ctx.response().setStatusCode(204)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods)
          .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "300")
          .end();
    }
  }
}
