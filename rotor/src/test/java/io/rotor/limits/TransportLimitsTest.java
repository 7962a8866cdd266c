package io.rotor.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.RotorOptions;
import io.rotor.testing.RawClient;
import io.rotor.testing.StreamReader;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code client.connection_limit} holds on every transport, not only WebSocket: with one place on
 * the node, whichever transport holds it makes every other entry point answer 503 before it
 * upgrades or streams, and the place comes back when that connection ends.
 */
class TransportLimitsTest {

  private static TestNode node;
  private static Vertx vertx;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void start() {
    RotorOptions o = TestNode.allTransports();
    o.getClient().setConnectionLimit(1);
    o.getSockjs().setSessionTimeout(Duration.ofSeconds(4));
    node = TestNode.start(o);
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String sockjsSession() {
    return "/connection/sockjs/000/" + UUID.randomUUID();
  }

  private static String connectParam() {
    return URLEncoder.encode("{\"token\":\"" + RawClient.token("ann") + "\"}", StandardCharsets.UTF_8);
  }

  /** The status of a WebSocket upgrade; a successful one is closed again at once. */
  private static int upgradeStatus(String uri) {
    try {
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI(uri).setAllowOriginHeader(false)).await(5, TimeUnit.SECONDS);
      ws.close().await(5, TimeUnit.SECONDS);
      return 101;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    } catch (Exception e) {
      throw new AssertionError(uri, e);
    }
  }

  /** The status of a stream's response headers; the stream itself is closed at once. */
  private static int streamStatus(java.net.http.HttpRequest request) {
    try (StreamReader s = StreamReader.open(request)) {
      return s.status();
    }
  }

  /** Every entry point, each answering with its status (101 or 200 when let in). */
  private static final java.util.Map<String, Supplier<Integer>> ENTRIES = new java.util.LinkedHashMap<>();

  static {
    String connect = "{\"token\":\"" + RawClient.token("ann") + "\"}";
    ENTRIES.put("websocket", () -> upgradeStatus("/connection/websocket"));
    ENTRIES.put("uni_websocket", () -> upgradeStatus("/connection/uni_websocket"));
    ENTRIES.put("sockjs websocket", () -> upgradeStatus(sockjsSession() + "/websocket"));
    ENTRIES.put("sockjs raw websocket", () -> upgradeStatus("/connection/sockjs/websocket"));
    ENTRIES.put("sockjs xhr_streaming", () -> streamStatus(StreamReader.post(node.port(), sockjsSession() + "/xhr_streaming", "").build()));
    ENTRIES.put("sockjs xhr", () -> StreamReader.send(StreamReader.post(node.port(), sockjsSession() + "/xhr", "").build()).statusCode());
    ENTRIES.put("http_stream", () -> streamStatus(StreamReader.post(node.port(), "/connection/http_stream",
        "{\"id\":1,\"connect\":" + connect + "}").build()));
    ENTRIES.put("sse", () -> streamStatus(StreamReader.get(node.port(), "/connection/sse?cf_connect="
        + URLEncoder.encode("{\"id\":1,\"connect\":" + connect + "}", StandardCharsets.UTF_8)).build()));
    ENTRIES.put("uni_http_stream", () -> streamStatus(StreamReader.post(node.port(), "/connection/uni_http_stream", connect).build()));
    ENTRIES.put("uni_sse", () -> streamStatus(StreamReader.get(node.port(), "/connection/uni_sse?cf_connect=" + connectParam()).build()));
  }

  private static void awaitOpen(int expected) {
    LimitsTest.awaitOpenConnections(node, expected);
  }

  @Test
  void everyTransportAnswers503AtTheLimitAndFreesItsPlace() {
    awaitOpen(0);
    RawClient holder = RawClient.open(vertx, node.port());
    try {
      awaitOpen(1);
      ENTRIES.forEach((name, entry) -> assertEquals(503, entry.get(), name + " let a connection past the limit"));
    } finally {
      holder.close();
    }
    awaitOpen(0);
    // Each transport in turn takes the place, and gives it back when its connection ends.
    ENTRIES.forEach((name, entry) -> {
      int status = entry.get();
      assertTrue(status == 101 || status == 200, name + " refused below the limit: " + status);
      awaitOpen(0);
    });
  }

  @Test
  void aSockJsSessionHoldsThePlaceAcrossItsRequests() {
    awaitOpen(0);
    String session = sockjsSession();
    assertEquals("o\n", StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body());
    awaitOpen(1);
    assertEquals(503, ENTRIES.get("sockjs xhr").get(), "a new session over the limit");
    assertEquals(503, ENTRIES.get("websocket").get());
    assertEquals(204, StreamReader.send(StreamReader.post(node.port(), session + "/xhr_send",
        "[\"{\\\"id\\\":1,\\\"connect\\\":{\\\"token\\\":\\\"" + RawClient.token("ann") + "\\\"}}\"]").build()).statusCode());
    String poll = StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body();
    assertTrue(poll.contains("connect"), "the open session's next poll is not limited: " + poll);
    // Unpolled, the session times out (4 s here) and its place comes back.
    awaitOpen(0);
    assertEquals(101, ENTRIES.get("websocket").get());
  }
}
