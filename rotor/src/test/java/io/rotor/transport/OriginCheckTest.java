package io.rotor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code client.allowed_origins}: the glob rules, the WebSocket upgrade, and the CORS headers. */
class OriginCheckTest {

  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  @Test
  void globRules() {
    OriginCheck check = new OriginCheck(List.of("https://*.example.com", "http://localhost:8000"));
    assertTrue(check.allowed((String) null), "no Origin: a non-browser client");
    assertTrue(check.allowed("https://app.example.com"));
    assertTrue(check.allowed("HTTPS://APP.Example.com"), "case-insensitive");
    assertTrue(check.allowed("http://localhost:8000"));
    assertFalse(check.allowed("http://localhost:8001"));
    assertFalse(check.allowed("https://example.com.evil.net"));
    assertFalse(check.allowed("https://app.example.com.evil.net"), "the pattern must match the whole origin");
    assertFalse(check.allowed("http://app.example.com"), "scheme matters");
    assertFalse(check.allowed("null"));
    assertFalse(check.allowed("https://" + "a".repeat(2000) + ".example.com"), "absurdly long origin");
    // Regex metacharacters in patterns are literal.
    assertFalse(new OriginCheck(List.of("https://a.b")).allowed("https://aXb"));
  }

  @Test
  void emptyListRefusesEveryOriginAndStarAllowsAll() {
    assertFalse(new OriginCheck(List.of()).allowed("http://localhost"));
    assertTrue(new OriginCheck(List.of()).allowed((String) null));
    assertTrue(new OriginCheck(List.of("*")).allowed("https://anything.example"));
  }

  @Test
  void hostileGlobStaysFast() {
    OriginCheck check = new OriginCheck(List.of("*a*a*a*a*a*a*a*a*a*a*b"));
    long start = System.nanoTime();
    assertFalse(check.allowed("a".repeat(OriginCheck.MAX_ORIGIN_LENGTH)));
    // Generous bound: exponential backtracking would take far longer than this.
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
  }

  private static int upgrade(int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/connection/websocket").setAllowOriginHeader(origin != null);
      if (origin != null) {
        o.addHeader("Origin", origin);
      }
      try {
        client.connect(o).await(5, TimeUnit.SECONDS).close();
        return 101;
      } catch (UpgradeRejectedException e) {
        return e.getStatus();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    } finally {
      client.close();
    }
  }

  @Test
  void webSocketUpgradeChecksTheOrigin() throws Exception {
    // The test config allows http://allowed.example.
    try (TestNode node = TestNode.start()) {
      assertEquals(101, upgrade(node.port(), null));
      assertEquals(101, upgrade(node.port(), "http://allowed.example"));
      assertEquals(403, upgrade(node.port(), "http://evil.example"));
    }
    try (TestNode closed = TestNode.start(io.rotor.testing.RawClient.config(
        "{\"client\": {\"allowed_origins\": []}}"), java.util.Map.of())) {
      assertEquals(403, upgrade(closed.port(), "http://allowed.example"), "empty list: every Origin refused");
      assertEquals(101, upgrade(closed.port(), null));
    }
  }

  @Test
  void corsHeadersOnlyForAllowedOrigins() throws Exception {
    OriginCheck check = new OriginCheck(List.of("https://*.example.com"));
    var server = vertx.createHttpServer().requestHandler(req -> {
      if (!check.cors(req, req.response())) {
        req.response().setStatusCode(403).end();
        return;
      }
      req.response().setStatusCode(204).end();
    }).listen(0, "127.0.0.1").await();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try {
      MultiMap good = send(http, server.actualPort(), "https://app.example.com");
      assertEquals("https://app.example.com", good.get("Access-Control-Allow-Origin"));
      assertEquals("true", good.get("Access-Control-Allow-Credentials"));
      assertEquals("content-type", good.get("Access-Control-Allow-Headers"));
      MultiMap bad = send(http, server.actualPort(), "https://evil.com");
      assertNull(bad.get("Access-Control-Allow-Origin"));
      assertNull(bad.get("Access-Control-Allow-Credentials"));
      assertEquals("403", bad.get("x-status"));
      assertNull(send(http, server.actualPort(), null).get("Access-Control-Allow-Origin"));
    } finally {
      server.close().await();
    }
  }

  private static MultiMap send(java.net.http.HttpClient http, int port, String origin) throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/emulation"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Access-Control-Request-Headers", "content-type");
    if (origin != null) {
      b.header("Origin", origin);
    }
    var r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding());
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    r.headers().map().forEach((k, v) -> h.add(k, v));
    h.add("x-status", String.valueOf(r.statusCode()));
    return h;
  }
}
