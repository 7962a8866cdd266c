package io.rotor.api;

import io.rotor.config.HttpApiOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Mounts the server API on a router: on the public port, or on {@code http_server.internal_port}
 * when one is configured (then the public port does not serve it at all).
 */
public final class ApiRoutes {

  /** Server API request bodies above this are refused (413). */
  public static final long BODY_LIMIT = 10 * 1024 * 1024;

  private ApiRoutes() {
  }

  public static void mount(Router router, ServerApi api, HttpApiOptions options) {
    String prefix = options.getHandlerPrefix();
    ApiHandler handler = new ApiHandler(api, options);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    router.route(HttpMethod.POST, prefix).handler(body).handler(handler);
    router.route(HttpMethod.POST, prefix + "/:method").handler(body).handler(handler);
  }
}
