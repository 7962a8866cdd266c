package io.rotor.api;

import io.rotor.config.HttpApiOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * Puts the server API in front of a router: on the public port, or on {@code http_server.internal_port}
 * when one is configured (then the public port does not serve it at all). API requests bypass the
 * router (see {@link ApiHandler}); everything else is routed.
 */
public final class ApiRoutes {

  /** Server API request bodies above this are refused (413). */
  public static final long BODY_LIMIT = 10 * 1024 * 1024;

  private ApiRoutes() {
  }

  public static Handler<HttpServerRequest> inFrontOf(Router router, ServerApi api, HttpApiOptions options) {
    ApiHandler handler = new ApiHandler(api, options, BODY_LIMIT);
    return req -> {
      if (handler.matches(req)) {
        handler.handle(req);
      } else {
        router.handle(req);
      }
    };
  }
}
