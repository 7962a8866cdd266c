package io.rotor.transport.uni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.StreamReader;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** uni_http_stream, uni_sse and uni_websocket: a ConnectRequest in, bare pushes out. */
class UniTransportsTest {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static TestNode node;
  private static RawClient.Api api;
  private static Vertx vertx;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void start() {
    node = TestNode.start(TestNode.allTransports());
    api = new RawClient.Api(node.port());
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static JsonNode json(String line) {
    try {
      return RawClient.JSON.readTree(line.startsWith("data: ") ? line.substring(6) : line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /** A token subscribing its user to a personal feed channel. */
  private static String connectRequest(String user, String channel) {
    String token = RawClient.token(Map.of("sub", user, "exp", System.currentTimeMillis() / 1000 + 3600,
        "channels", List.of(channel)));
    // Pretty-printed on purpose: newlines in the request must not break anything.
    return "{\n  \"token\": \"" + token + "\"\n}";
  }

  @Test
  void uniHttpStreamSendsBarePushes() {
    String user = "uni-" + USERS.incrementAndGet();
    String channel = "feed-" + user;
    try (StreamReader s = StreamReader.open(StreamReader.post(node.port(), "/connection/uni_http_stream",
        connectRequest(user, channel)).header("Content-Type", "application/json").build())) {
      assertEquals(200, s.status());
      JsonNode connect = json(s.next("\"connect\"")).get("connect");
      assertFalse(connect.get("session").asText().isEmpty());
      assertTrue(connect.has("ping"));
      assertFalse(connect.has("pong"), "no pong on a unidirectional transport");
      assertFalse(connect.has("node"), "no node: there is no /emulation for uni");
      assertTrue(connect.at("/subs").has(channel));

      api.call("publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":1}}");
      JsonNode pub = json(s.next("\"pub\""));
      assertEquals(channel, pub.get("channel").asText());
      assertEquals(1, pub.at("/pub/data/n").asInt());
      assertFalse(pub.has("push"));

      // The subscribe API adds a channel with a subscribe push.
      String extra = "extra-" + user;
      api.call("subscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + extra + "\"}");
      assertEquals(extra, json(s.next("\"subscribe\"")).get("channel").asText());

      api.call("disconnect", "{\"user\":\"" + user + "\",\"disconnect\":{\"code\":3503,\"reason\":\"bye\"}}");
      assertEquals(3503, json(s.next("\"disconnect\"")).at("/disconnect/code").asInt());
      s.awaitEnd();
    }
  }

  @Test
  void uniSseTakesTheConnectFromTheQuery() {
    String user = "uni-" + USERS.incrementAndGet();
    String channel = "feed-" + user;
    String cf = URLEncoder.encode(connectRequest(user, channel), StandardCharsets.UTF_8);
    try (StreamReader s = StreamReader.open(StreamReader.get(node.port(), "/connection/uni_sse?cf_connect=" + cf).build())) {
      assertEquals(200, s.status());
      assertTrue(json(s.next(l -> l.startsWith("data: ") && l.contains("\"connect\""))).has("connect"));
      api.call("publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":2}}");
      assertEquals(2, json(s.next(l -> l.startsWith("data: ") && l.contains("\"pub\""))).at("/pub/data/n").asInt());
    }
  }

  @Test
  void badTokenEndsTheStreamWithADisconnect() {
    try (StreamReader s = StreamReader.open(StreamReader.post(node.port(), "/connection/uni_http_stream",
        "{\"token\":\"not-a-token\"}").build())) {
      assertEquals(3500, json(s.next("\"disconnect\"")).at("/disconnect/code").asInt());
      s.awaitEnd();
    }
  }

  @Test
  void badConnectRequestsAreRefused() {
    assertEquals(400, StreamReader.send(StreamReader.post(node.port(), "/connection/uni_http_stream", "[1]").build()).statusCode());
    assertEquals(400, StreamReader.send(StreamReader.post(node.port(), "/connection/uni_http_stream", "{").build()).statusCode());
    assertEquals(400, StreamReader.send(StreamReader.get(node.port(), "/connection/uni_sse").build()).statusCode());
    assertEquals(413, StreamReader.send(StreamReader.post(node.port(), "/connection/uni_http_stream",
        "{\"data\":\"" + "x".repeat(70 * 1024) + "\"}").build()).statusCode());
  }

  @Test
  void uniWebSocketTakesTheConnectAsFirstMessage() throws Exception {
    String user = "uni-" + USERS.incrementAndGet();
    String channel = "feed-" + user;
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    java.util.concurrent.CompletableFuture<Short> closeCode = new java.util.concurrent.CompletableFuture<>();
    WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setPort(node.port()).setHost("127.0.0.1")
        .setURI("/connection/uni_websocket").setAllowOriginHeader(false)).onSuccess(w -> {
          w.textMessageHandler(messages::add);
          w.closeHandler(v -> closeCode.complete(w.closeStatusCode()));
        }).await(5, TimeUnit.SECONDS);
    ws.writeTextMessage(connectRequest(user, channel));
    JsonNode connect = json(messages.poll(5, TimeUnit.SECONDS));
    assertTrue(connect.has("connect"), connect.toString());
    api.call("publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":3}}");
    JsonNode pub = json(messages.poll(5, TimeUnit.SECONDS));
    assertEquals(3, pub.at("/pub/data/n").asInt(), pub.toString());
    api.call("disconnect", "{\"user\":\"" + user + "\",\"disconnect\":{\"code\":3503,\"reason\":\"bye\"}}");
    assertEquals(3503, json(messages.poll(5, TimeUnit.SECONDS)).at("/disconnect/code").asInt());
    assertEquals(Short.valueOf((short) 3503), closeCode.get(5, TimeUnit.SECONDS));
  }

  @Test
  void uniWebSocketTakesTheConnectFromTheQuery() throws Exception {
    String user = "uni-" + USERS.incrementAndGet();
    String cf = URLEncoder.encode(connectRequest(user, "feed-" + user), StandardCharsets.UTF_8);
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setPort(node.port()).setHost("127.0.0.1")
        .setURI("/connection/uni_websocket?cf_connect=" + cf).setAllowOriginHeader(false))
        // The connect push may come right after the handshake: listen before the test thread resumes.
        .onSuccess(w -> w.textMessageHandler(messages::add)).await(5, TimeUnit.SECONDS);
    assertTrue(json(messages.poll(5, TimeUnit.SECONDS)).has("connect"));
    ws.close();
  }

  @Test
  void uniWebSocketRefusesAMalformedConnect() throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setPort(node.port()).setHost("127.0.0.1")
        .setURI("/connection/uni_websocket").setAllowOriginHeader(false))
        .onSuccess(w -> w.textMessageHandler(messages::add)).await(5, TimeUnit.SECONDS);
    ws.writeTextMessage("[not a connect request]");
    assertEquals(3501, json(messages.poll(5, TimeUnit.SECONDS)).at("/disconnect/code").asInt());
  }
}
