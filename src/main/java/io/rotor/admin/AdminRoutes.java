package io.rotor.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.api.ServerApi;
import io.rotor.node.Node;
import io.rotor.protocol.JsonCodec;
import io.rotor.transport.OriginCheck;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * The admin web UI under {@code admin.handler_prefix}: the static page, {@code POST api/login},
 * {@code POST api/<method>} for the read-and-publish part of the server API plus
 * {@code watch_token}, and a WebSocket endpoint for the live view that accepts the UI's own origin.
 */
public final class AdminRoutes {

  /** Server API methods the UI may call: reading state and publishing, nothing that acts on connections. */
  static final Set<String> METHODS = Set.of("info", "channels", "publish", "history", "presence", "presence_stats");
  static final long BODY_LIMIT = 1024 * 1024;

  private final Node node;
  private final ServerApi api;
  private final AdminAuth auth;
  private final WatchTokens watchTokens;
  private final OriginCheck configuredOrigins;

  private AdminRoutes(Node node, ServerApi api) {
    this.node = node;
    this.api = api;
    this.auth = new AdminAuth(node.vertx(), node.options().getAdmin());
    this.watchTokens = new WatchTokens(node.vertx(), node.options().getClient().getToken().getHmacSecretKey());
    this.configuredOrigins = new OriginCheck(node.options().getClient().getAllowedOrigins());
  }

  /**
   * Adds the admin routes to a router. {@code webSocket} is the node's WebSocket transport handler
   * built without an origin check: the check here admits the page's own origin as well.
   */
  public static void mount(Router router, Node node, ServerApi api, Handler<RoutingContext> webSocket) {
    AdminRoutes routes = new AdminRoutes(node, api);
    String prefix = node.options().getAdmin().getHandlerPrefix();
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    router.post(prefix + "/api/login").handler(body).handler(routes::login);
    router.post(prefix + "/api/:method").handler(body).handler(routes::call);
    router.route(prefix + "/connection/websocket").handler(routes::liveOrigin).handler(webSocket);
    router.get(prefix).handler(ctx -> {
      // The route also matches "<prefix>/"; only the bare prefix is sent on to the page.
      if (ctx.request().path().equals(prefix)) {
        ctx.redirect(prefix + "/");
      } else {
        ctx.next();
      }
    });
    router.route(prefix + "/*").handler(ctx -> {
      ctx.response().putHeader("X-Frame-Options", "DENY").putHeader("Cache-Control", "no-cache");
      ctx.next();
    }).handler(StaticHandler.create("admin-web").setDefaultContentEncoding("UTF-8"));
  }

  private void login(RoutingContext ctx) {
    JsonNode body = jsonBody(ctx);
    String token = auth.login(body == null ? null : body.path("password").asText(null));
    if (token == null) {
      reply(ctx, 401, JsonCodec.object().put("error", "wrong password"));
    } else {
      reply(ctx, 200, JsonCodec.object().put("token", token).put("ttl", AdminAuth.SESSION_TTL_SECONDS));
    }
  }

  private void call(RoutingContext ctx) {
    auth.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).onComplete(checked -> {
      if (checked.failed()) {
        reply(ctx, 401, JsonCodec.object().put("error", "unauthorized"));
        return;
      }
      String method = ctx.pathParam("method");
      JsonNode params = jsonBody(ctx);
      if (params == null) {
        reply(ctx, 400, JsonCodec.object().put("error", "body must be a JSON object"));
      } else if (method.equals("watch_token")) {
        reply(ctx, 200, ServerApi.envelope(watchToken(params.path("channel").asText(""))));
      } else if (METHODS.contains(method)) {
        api.call(method, params).onComplete(done -> reply(ctx, 200, ServerApi.envelope(done)));
      } else {
        reply(ctx, 404, JsonCodec.object().put("error", "unknown method"));
      }
    });
  }

  private Future<JsonNode> watchToken(String channel) {
    try {
      return Future.succeededFuture(watchTokens.mint(node.resolver().resolve(channel).name()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The live view's socket: the UI's own origin (Origin naming the Host it was sent to) is always
   * admitted, other origins only when {@code client.allowed_origins} admits them.
   */
  private void liveOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (node.draining()) {
      ctx.response().setStatusCode(503).end("shutting down");
    } else if (sameOrigin(origin, ctx.request().getHeader(HttpHeaders.HOST)) || configuredOrigins.allowed(origin)) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).end("Forbidden origin");
    }
  }

  static boolean sameOrigin(String origin, String host) {
    if (origin == null || host == null) {
      return false;
    }
    try {
      URI u = URI.create(origin);
      String authority = u.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonNode jsonBody(RoutingContext ctx) {
    Buffer buf = ctx.body().buffer();
    if (buf == null || buf.length() == 0) {
      return JsonCodec.object();
    }
    try {
      JsonNode n = JsonCodec.MAPPER.readTree(buf.getBytes());
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void reply(RoutingContext ctx, int status, JsonNode body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(JsonCodec.toBytes(body)));
  }
}
