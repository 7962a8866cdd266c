package io.rotor.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.api.ServerApi;
import io.rotor.core.Contexts;
import io.rotor.node.Node;
import io.rotor.protocol.JsonCodec;
import io.rotor.transport.OriginCheck;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
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
 * {@code POST api/<method>} for the read-and-publish part of the server API, disconnect and unsubscribe,
 * plus {@code watch_token} and {@code node_history} (the charts, {@link NodeCharts}), and a WebSocket endpoint for the live view that accepts the UI's own origin.
 */
public final class AdminRoutes {

  /**
   * Server API methods the UI may call: reading state, publishing, and Centrifugo's two actions on a
   * user's connections (disconnect, unsubscribe from a channel).
   */
  static final Set<String> METHODS = Set.of("info", "channels", "publish", "history", "presence", "presence_stats",
      "disconnect", "unsubscribe");
  static final long BODY_LIMIT = 1024 * 1024;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminRoutes.class);

  private final Node node;
  private final ServerApi api;
  private final AdminAuth auth;
  private final WatchTokens watchTokens;
  private final OriginCheck configuredOrigins;
  private final LoginThrottle throttle;

  private AdminRoutes(Node node, ServerApi api, LoginThrottle throttle) {
    this.node = node;
    this.api = api;
    this.throttle = throttle;
    this.auth = new AdminAuth(node.vertx(), node.options().getAdmin());
    this.watchTokens = new WatchTokens(node.vertx(), node.options().getClient().getToken().getHmacSecretKey());
    this.configuredOrigins = new OriginCheck(node.options().getClient().getAllowedOrigins());
  }

  /**
   * Adds the admin routes to a router. {@code webSocket} is the node's WebSocket transport handler
   * built without an origin check: the check here admits the page's own origin as well.
   * {@code logins} is one per node, shared by the routes of every event loop.
   */
  public static void mount(Router router, Node node, ServerApi api, LoginThrottle logins,
                           Handler<RoutingContext> webSocket) {
    AdminRoutes routes = new AdminRoutes(node, api, logins);
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

  /**
   * A login, throttled per client address ({@link LoginThrottle}): the answer waits on a timer (never
   * on the event loop), a refused address gets 429 with Retry-After, and every failure is logged.
   * The address is the TCP peer's: a proxy in front makes all clients one address, which errs on the
   * side of refusing.
   */
  private void login(RoutingContext ctx) {
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    LoginThrottle.Decision d = throttle.begin(address);
    if (d.refused()) {
      refuse(ctx, address, d.retryAfterMs());
      return;
    }
    if (d.delayMs() == 0) {
      attempt(ctx, address);
    } else {
      node.vertx().setTimer(d.delayMs(), t -> attempt(ctx, address));
    }
  }

  private void attempt(RoutingContext ctx, String address) {
    JsonNode body = jsonBody(ctx);
    String token = auth.login(body == null ? null : body.path("password").asText(null));
    LoginThrottle.Decision after = throttle.finished(address, token != null);
    if (token != null) {
      reply(ctx, 200, JsonCodec.object().put("token", token).put("ttl", AdminAuth.SESSION_TTL_SECONDS));
    } else if (after.refused()) {
      LOG.warn("admin login from {} failed {} times in a row: logins from it refused for {} s", address,
          LoginThrottle.BLOCK_AFTER, after.retryAfterMs() / 1000);
      refuse(ctx, address, after.retryAfterMs());
    } else {
      LOG.warn("admin login from {} failed ({} in a row{})", address, throttle.failures(address),
          after.delayMs() > 0 ? "; the next answer waits " + after.delayMs() + " ms" : "");
      reply(ctx, 401, JsonCodec.object().put("error", "wrong password"));
    }
  }

  private static void refuse(RoutingContext ctx, String address, long retryAfterMs) {
    ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (retryAfterMs + 999) / 1000)));
    reply(ctx, 429, JsonCodec.object().put("error", "too many failed logins from " + address + "; try again later"));
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
      } else if (METHODS.contains(method) || method.equals(NodeCharts.METHOD)) {
        // disconnect and unsubscribe complete on the target connections' event loops, node_history
        // on the cluster's: the answer is written from the request's own (strict thread mode).
        Future<JsonNode> result = METHODS.contains(method) ? api.call(method, params) : api.callInternal(method, params);
        Contexts.backOn(Vertx.currentContext(), result).onComplete(done -> reply(ctx, 200, ServerApi.envelope(done)));
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
