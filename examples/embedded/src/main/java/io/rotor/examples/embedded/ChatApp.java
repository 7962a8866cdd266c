package io.rotor.examples.embedded;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.rotor.Rotor;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.core.Disconnect;
import io.rotor.hooks.ConnectEvent;
import io.rotor.hooks.ConnectReply;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small chat service that embeds Rotor: its own routes and login (a session cookie), Rotor mounted
 * under {@code /rotor} on the same router and port, connections authorised by the session through the
 * connect hook, and messages published from a business handler. Run it with {@link #main}.
 */
public final class ChatApp extends VerticleBase {

  static final String SESSION_COOKIE = "chat_session";
  static final String CHANNEL = "chat";
  /** 4500-4999: the SDK does not reconnect (logging in again is the user's move). */
  static final Disconnect LOGIN_FIRST = new Disconnect(4501, "login first");

  /** Rotor's config: a chat channel with history, so reconnecting clients recover what they missed. */
  static final String ROTOR_CONFIG = """
      {
        "channel": {
          "without_namespace": {
            "history_size": 100, "history_ttl": "600s", "force_recovery": true,
            "presence": true, "allow_subscribe_for_client": true
          }
        }
      }
      """;

  private final int port;
  private final Map<String, String> sessions = new ConcurrentHashMap<>();
  private Rotor rotor;
  private HttpServer server;

  public ChatApp(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Vertx.vertx().deployVerticle(new ChatApp(port))
        .onSuccess(id -> System.out.println("chat on http://localhost:" + port + "/"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    RotorOptions options = ConfigLoader.fromJson(ROTOR_CONFIG, System.getenv());
    Router router = Router.router(vertx);
    router.post("/login").handler(BodyHandler.create()).handler(this::login);
    router.post("/messages").handler(BodyHandler.create()).handler(this::postMessage);
    router.get("/").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end(
        "POST /login {\"user\":...}, then connect centrifuge-js to /rotor/connection/websocket and subscribe to \"chat\"\n"));
    rotor = Rotor.create(vertx, options).connectHook(this::authorise).mount(router, "/rotor");
    return rotor.start()
        .compose(v -> vertx.createHttpServer().requestHandler(router).listen(port))
        .onSuccess(s -> server = s);
  }

  /** The port the app listens on (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Logs a user in (a real app checks a password): a session cookie the WebSocket brings back. */
  private void login(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String user = body == null ? "" : body.getString("user", "");
    if (user.isBlank()) {
      ctx.response().setStatusCode(400).end("user required");
      return;
    }
    String session = UUID.randomUUID().toString();
    sessions.put(session, user);
    ctx.response().putHeader("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
    ctx.json(new JsonObject().put("user", user));
  }

  /** The business handler: a message from a logged-in user, stored nowhere else, published to the chat. */
  private void postMessage(RoutingContext ctx) {
    String user = userOf(ctx.request().getHeader("Cookie"));
    if (user == null) {
      ctx.response().setStatusCode(401).end("login first");
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String text = body == null ? "" : body.getString("text", "");
    JsonObject message = new JsonObject().put("user", user).put("text", text);
    rotor.publish(CHANNEL, message.toBuffer())
        .onSuccess(pos -> ctx.json(new JsonObject().put("offset", pos.offset())))
        .onFailure(ctx::fail);
  }

  /** The connect hook: the connection belongs to the session's user; no session, no connection. */
  private Future<ConnectReply> authorise(ConnectEvent event) {
    String user = userOf(event.client().headers().get("Cookie"));
    if (user == null) {
      return Future.failedFuture(LOGIN_FIRST.asException());
    }
    return Future.succeededFuture(new ConnectReply(user, 0,
        new JsonObject().put("name", user).toBuffer(), null, java.util.List.of()));
  }

  private String userOf(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decode(cookieHeader)) {
      if (SESSION_COOKIE.equals(c.name())) {
        return sessions.get(c.value());
      }
    }
    return null;
  }

  @Override
  public Future<?> stop() {
    return rotor.close();
  }
}
