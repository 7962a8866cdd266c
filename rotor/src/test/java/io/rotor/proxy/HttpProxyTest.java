package io.rotor.proxy;

import static io.rotor.testing.RawClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Centrifugo-format HTTP proxies against a real backend HTTP server: what the node sends, and how
 * it honours results, errors, disconnects, timeouts, a dead backend and garbage answers.
 */
class HttpProxyTest {

  private static Vertx vertx;
  private static Backend backend;
  private static TestNode node;
  private static int deadPort;
  private final List<RawClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = new Backend(vertx);
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    String b = "http://127.0.0.1:" + backend.port();
    node = TestNode.start(RawClient.config("""
        {
          "client": {"proxy": {
            "connect": {"enabled": true, "endpoint": "%1$s/connect", "timeout": "500ms",
                        "http_headers": ["X-Session"], "emulated_headers": ["Authorization"]},
            "refresh": {"enabled": true, "endpoint": "%1$s/refresh"}
          }},
          "channel": {
            "proxy": {"subscribe": {"endpoint": "%1$s/subscribe"}, "publish": {"endpoint": "%1$s/publish"}},
            "namespaces": [
              {"name": "guarded", "subscribe_proxy_enabled": true, "publish_proxy_enabled": true,
               "allow_subscribe_for_client": true},
              {"name": "custom", "subscribe_proxy_enabled": true, "subscribe_proxy_name": "other"},
              {"name": "kept", "subscribe_proxy_enabled": true, "publish_proxy_enabled": true,
               "history_size": 10, "history_ttl": "300s"}
            ]
          },
          "rpc": {
            "proxy": {"endpoint": "%1$s/rpc"},
            "namespaces": [{"name": "app", "proxy_enabled": true}, {"name": "slow", "proxy_enabled": true, "proxy_name": "slow"},
                           {"name": "dead", "proxy_enabled": true, "proxy_name": "dead"}]
          },
          "proxies": [
            {"name": "other", "endpoint": "%1$s/other-subscribe"},
            {"name": "slow", "endpoint": "%1$s/never", "timeout": "300ms"},
            {"name": "dead", "endpoint": "http://127.0.0.1:%2$d/rpc"}
          ]
        }
        """.formatted(b, deadPort)), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    backend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanup() {
    clients.forEach(RawClient::close);
    clients.clear();
    backend.clear();
  }

  private RawClient open(Map<String, String> headers) {
    RawClient c = RawClient.open(vertx, node.port(), new WebSocketClientOptions(), headers);
    clients.add(c);
    return c;
  }

  private RawClient connectedAs(String user) {
    backend.answer("/connect", "{\"result\":{\"user\":\"" + user + "\"}}");
    RawClient c = open(Map.of());
    c.connect(null);
    return c;
  }

  private static int errorCode(ObjectNode reply) {
    assertTrue(reply.has("error"), () -> "expected an error reply, got " + reply);
    return reply.get("error").get("code").asInt();
  }

  @Test
  void connectProxyAuthenticatesWithTheBackendAndForwardsHeaders() throws Exception {
    backend.answer("/connect", """
        {"result": {"user": "alice", "info": {"name": "Alice"}, "data": {"greeting": "hi"}, "channels": ["srv1"]}}
        """);
    RawClient c = open(Map.of("X-Session", "s-123", "X-Other", "not forwarded"));
    ObjectNode reply = c.call("connect", """
        {"name": "raw-test", "version": "1.2", "data": {"app": "x"}, "headers": {"Authorization": "Bearer t"}}
        """.strip());
    ObjectNode connect = (ObjectNode) reply.get("connect");
    assertTrue(connect != null, reply::toString);
    assertEquals(json("{\"greeting\":\"hi\"}"), connect.get("data"));
    assertTrue(connect.get("subs").has("srv1"), connect::toString);

    Backend.Request req = backend.next("/connect");
    assertEquals(connect.get("client").asText(), req.body().getString("client"));
    assertEquals("websocket", req.body().getString("transport"));
    assertEquals("json", req.body().getString("protocol"));
    assertEquals("json", req.body().getString("encoding"));
    assertEquals("raw-test", req.body().getString("name"));
    assertEquals("1.2", req.body().getString("version"));
    assertEquals("x", req.body().getJsonObject("data").getString("app"));
    assertEquals("s-123", req.headers().get("X-Session"));
    assertEquals("Bearer t", req.headers().get("Authorization"));
    assertEquals(null, req.headers().get("X-Other"));
    assertTrue(req.headers().get("Content-Type").startsWith("application/json"));

    // The user the backend named is the connection's user: presence shows it.
    ObjectNode sub = c.subscribe("presence-check-" + System.nanoTime());
    assertTrue(sub != null);
  }

  @Test
  void connectProxyErrorAndDisconnectAreHonoured() {
    backend.answer("/connect", "{\"error\": {\"code\": 1000, \"message\": \"custom\", \"temporary\": true}}");
    ObjectNode reply = open(Map.of()).call("connect", "{}");
    assertEquals(1000, errorCode(reply));
    assertEquals("custom", reply.get("error").get("message").asText());
    assertTrue(reply.get("error").get("temporary").asBoolean());

    backend.answer("/connect", "{\"disconnect\": {\"code\": 4501, \"reason\": \"go away\"}}");
    RawClient c = open(Map.of());
    c.send("{\"id\":1,\"connect\":{}}");
    RawClient.Close close = c.awaitClose();
    assertEquals(4501, close.code());
    assertEquals("go away", close.reason());
  }

  @Test
  void brokenBackendGivesInternalErrorNeverAHang() {
    // Garbage body.
    backend.handle("/connect", (body, req) -> req.response().end("<html>oops</html>"));
    assertEquals(100, errorCode(open(Map.of()).call("connect", "{}")));
    // HTTP 500.
    backend.handle("/connect", (body, req) -> req.response().setStatusCode(500).end("{}"));
    assertEquals(100, errorCode(open(Map.of()).call("connect", "{}")));
    // Out-of-range error code.
    backend.answer("/connect", "{\"error\": {\"code\": 101, \"message\": \"reserved\"}}");
    assertEquals(100, errorCode(open(Map.of()).call("connect", "{}")));
    // Never answers: the 500 ms timeout answers instead.
    backend.handle("/connect", (body, req) -> { });
    long start = System.nanoTime();
    ObjectNode reply = open(Map.of()).call("connect", "{}");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(100, errorCode(reply));
    assertTrue(reply.get("error").get("temporary").asBoolean(), "SDKs retry a temporary error");
    assertTrue(ms >= 400 && ms < 3000, "answered after " + ms + " ms");
  }

  @Test
  void rpcGoesToTheNamespaceProxy() throws Exception {
    RawClient c = connectedAs("bob");
    backend.handle("/rpc", (body, req) -> req.response().end(new io.vertx.core.json.JsonObject()
        .put("result", new io.vertx.core.json.JsonObject().put("data",
            new io.vertx.core.json.JsonObject().put("echo", body.getJsonObject("data")).put("method", body.getString("method"))))
        .encode()));
    ObjectNode reply = c.call("rpc", "{\"method\": \"app:sum\", \"data\": {\"a\": 1}}");
    assertEquals(json("{\"echo\":{\"a\":1},\"method\":\"app:sum\"}"), reply.get("rpc").get("data"), reply::toString);
    Backend.Request req = backend.next("/rpc");
    assertEquals("bob", req.body().getString("user"));

    assertEquals(104, errorCode(c.call("rpc", "{\"method\": \"unknown:x\"}")));
    assertEquals(104, errorCode(c.call("rpc", "{\"method\": \"plain\"}")));

    backend.answer("/rpc", "{\"error\": {\"code\": 404, \"message\": \"no such thing\"}}");
    assertEquals(404, errorCode(c.call("rpc", "{\"method\": \"app:missing\"}")));
    // Timeout of the named proxy, then a backend that is down: 100 both times, the connection lives.
    assertEquals(100, errorCode(c.call("rpc", "{\"method\": \"slow:x\"}")));
    assertEquals(100, errorCode(c.call("rpc", "{\"method\": \"dead:x\"}")));
    backend.answer("/rpc", "{\"result\": {}}");
    assertTrue(c.call("rpc", "{\"method\": \"app:ok\"}").has("rpc"));
    assertFalse(c.isClosed());
  }

  @Test
  void subscribeProxyDecidesAndItsDataAndInfoAreUsed() throws Exception {
    RawClient c = connectedAs("carol");
    backend.answer("/subscribe", "{\"result\": {\"data\": {\"welcome\": true}, \"info\": {\"role\": \"mod\"}}}");
    ObjectNode sub = c.subscribe("guarded:room1");
    assertEquals(json("{\"welcome\":true}"), sub.get("data"), sub::toString);
    Backend.Request req = backend.next("/subscribe");
    assertEquals("guarded:room1", req.body().getString("channel"));
    assertEquals("carol", req.body().getString("user"));

    backend.answer("/subscribe", "{\"error\": {\"code\": 403, \"message\": \"forbidden\"}}");
    assertEquals(403, errorCode(c.call("subscribe", "{\"channel\": \"guarded:room2\"}")));

    // A named proxy.
    backend.answer("/other-subscribe", "{\"result\": {}}");
    c.subscribe("custom:x");
    assertEquals("custom:x", backend.next("/other-subscribe").body().getString("channel"));

    backend.answer("/subscribe", "{\"disconnect\": {\"code\": 4000, \"reason\": \"reconnect please\"}}");
    c.send("{\"id\":99,\"subscribe\":{\"channel\":\"guarded:room3\"}}");
    assertEquals(4000, c.awaitClose().code());
  }

  @Test
  void publishProxyCanRewriteTheData() throws Exception {
    RawClient c = connectedAs("dave");
    backend.answer("/subscribe", "{\"result\": {}}");
    c.subscribe("guarded:pub");
    backend.handle("/publish", (body, req) -> req.response().end(new io.vertx.core.json.JsonObject()
        .put("result", new io.vertx.core.json.JsonObject().put("data",
            new io.vertx.core.json.JsonObject().put("text", body.getJsonObject("data").getString("text").toUpperCase())))
        .encode()));
    ObjectNode reply = c.call("publish", "{\"channel\": \"guarded:pub\", \"data\": {\"text\": \"hello\"}}");
    assertTrue(reply.has("publish"), reply::toString);
    ObjectNode pub = c.await(RawClient.pub("guarded:pub"));
    assertEquals("HELLO", pub.get("push").get("pub").get("data").get("text").asText(), pub::toString);

    backend.answer("/publish", "{\"error\": {\"code\": 1403, \"message\": \"moderated\"}}");
    assertEquals(1403, errorCode(c.call("publish", "{\"channel\": \"guarded:pub\", \"data\": {\"text\": \"bad\"}}")));
  }

  @Test
  void publishProxyCanSkipHistory() throws Exception {
    RawClient c = connectedAs("dora");
    backend.answer("/subscribe", "{\"result\": {}}");
    c.subscribe("kept:news");
    RawClient.Api api = new RawClient.Api(node.port());
    backend.answer("/publish", "{\"result\": {\"skip_history\": true}}");
    assertTrue(c.call("publish", "{\"channel\": \"kept:news\", \"data\": {\"n\": 1}}").has("publish"));
    ObjectNode skipped = c.await(RawClient.pub("kept:news"));
    assertEquals(1, skipped.get("push").get("pub").get("data").get("n").asInt(), skipped::toString);
    assertEquals(0, api.result("history", "{\"channel\": \"kept:news\", \"limit\": 10}").path("publications").size(),
        "a publication the proxy said to skip is not kept");
    backend.answer("/publish", "{\"result\": {}}");
    assertTrue(c.call("publish", "{\"channel\": \"kept:news\", \"data\": {\"n\": 2}}").has("publish"));
    c.await(RawClient.pub("kept:news"));
    assertEquals(1, api.result("history", "{\"channel\": \"kept:news\", \"limit\": 10}").path("publications").size());
  }

  @Test
  void subscribeProxyOverrideAppliesToTheSubscription() throws Exception {
    RawClient c = connectedAs("olga");
    // guarded has no join/leave; the proxy's override turns it on for this subscription only.
    backend.answer("/subscribe", "{\"result\": {\"info\": {\"seat\": 3}, \"override\": "
        + "{\"join_leave\": {\"value\": true}, \"force_push_join_leave\": {\"value\": true}}}}");
    c.subscribe("guarded:ov");
    ObjectNode join = c.await(RawClient.push("guarded:ov", "join"));
    assertEquals("{\"seat\":3}", join.get("push").get("join").get("info").get("chan_info").toString(), join::toString);

    RawClient plain = connectedAs("pete");
    backend.answer("/subscribe", "{\"result\": {}}");
    plain.subscribe("guarded:ov");
    assertFalse(plain.unconsumed().stream().anyMatch(RawClient.push("guarded:ov", "join")), "no override, no join pushes");

    backend.answer("/subscribe", "{\"result\": {\"override\": {\"presence\": \"yes\"}}}");
    assertEquals(100, errorCode(c.call("subscribe", "{\"channel\": \"guarded:bad\"}")), "a malformed override");
  }

  @Test
  void refreshProxyExtendsAndThenExpiresTheConnection() throws Exception {
    long soon = System.currentTimeMillis() / 1000 + 1;
    backend.answer("/connect", "{\"result\": {\"user\": \"erin\", \"expire_at\": " + soon + "}}");
    RawClient c = open(Map.of());
    ObjectNode connect = c.connect(null);
    assertFalse(connect.has("expires"), "with a refresh proxy the node refreshes, not the client");
    // The first refresh extends by a second, the next one says expired.
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    backend.handle("/refresh", (body, req) -> req.response().end(calls.incrementAndGet() == 1
        ? "{\"result\": {\"expire_at\": " + (System.currentTimeMillis() / 1000 + 1) + "}}"
        : "{\"result\": {\"expired\": true}}"));
    assertEquals("erin", backend.next("/refresh").body().getString("user"));
    backend.next("/refresh");
    assertEquals(3005, c.awaitClose(java.time.Duration.ofSeconds(10)).code());
  }

  @Test
  void misconfiguredProxiesStopTheNodeWithTheKeyPath() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.rotor.config.ConfigException.class, () ->
        io.rotor.config.ConfigLoader.fromJson("""
            {"channel": {"namespaces": [{"name": "ns", "subscribe_proxy_enabled": true, "subscribe_proxy_name": "nope"}]}}
            """, Map.of()));
    assertTrue(e.getMessage().startsWith("channel.namespaces[0].subscribe_proxy_name"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(io.rotor.config.ConfigException.class, () ->
        io.rotor.config.ConfigLoader.fromJson("{\"client\": {\"proxy\": {\"connect\": {\"enabled\": true}}}}", Map.of()));
    assertTrue(e.getMessage().startsWith("client.proxy.connect.endpoint"), e.getMessage());
  }
}
