package io.rotor.node;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TcpProxy;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Silent starvation (torture case 4): the node's Redis connection starts swallowing answers without
 * failing (a half-dead TCP path; no error reaches the node, its HTTP port keeps answering). The
 * end-to-end liveness probe must notice, report the node degraded on {@code /ready} with details,
 * and make its clients reconnect (3010) so they recover; once the path heals the node is ready again
 * and a client recovers exactly what was published.
 */
@Tag("torture-fast")
class LivenessProbeTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aNodeWhosePublishPathStallsIsDegradedAndItsClientsRecover() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port());
         TestNode node = TestNode.start(RawClient.config("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\""
             + proxy.address() + "\"]}}, \"health\": {\"liveness_probe_interval\": \"500ms\","
             + " \"liveness_probe_timeout\": \"500ms\", \"liveness_probe_failures\": 2}}"), Map.of())) {
      RawClient.Api api = new RawClient.Api(node.port());
      String ch = "starve";
      RawClient a = RawClient.open(vertx, node.port()).autoPong(true);
      a.connect(token("a"));
      ObjectNode sub = a.subscribe(ch);
      String epoch = sub.get("epoch").asText();
      long last = 0;
      for (int i = 1; i <= 10; i++) {
        api.publish(ch, "{\"n\":" + i + "}");
        last = a.await(pub(ch)).get("push").get("pub").get("offset").asLong();
      }
      awaitStatus(node, "/health", 200, h -> h.path("liveness").path("last_success_at").asLong() > 0);
      assertEquals(200, get(node, "/ready").statusCode());

      long faultAt = System.nanoTime();
      proxy.loseReplies();
      RawClient.Close close = a.awaitClose(Duration.ofSeconds(15));
      long detectedMs = (System.nanoTime() - faultAt) / 1_000_000;
      System.out.println("LIVENESS: clients disconnected " + detectedMs + " ms after the publish path stalled");
      assertEquals(3010, close.code(), "clients are told their state is insufficient");
      assertTrue(detectedMs < 5_000, "detected within interval x failures + timeout (+ slack): " + detectedMs);
      HttpResponse<String> ready = get(node, "/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      JsonNode details = RawClient.json(ready.body());
      assertEquals("degraded", details.get("status").asText());
      assertTrue(details.get("liveness").get("failures").asInt() >= 2, ready.body());
      assertEquals("degraded", RawClient.json(get(node, "/health").body()).get("status").asText());

      // The half-dead connection is finally reset; the node reconnects and is ready again.
      proxy.cut();
      proxy.restore();
      awaitStatus(node, "/ready", 200, r -> "ready".equals(r.path("status").asText()));
      for (int i = 11; i <= 15; i++) {
        api.publish(ch, "{\"n\":" + i + "}");
      }
      RawClient b = RawClient.open(vertx, node.port()).autoPong(true);
      b.connect(token("a"));
      ObjectNode r = b.call("subscribe", RawClient.JSON.createObjectNode().put("channel", ch).put("recover", true)
          .put("offset", last).put("epoch", epoch));
      JsonNode res = r.get("subscribe");
      assertTrue(res.path("recovered").asBoolean(), r.toString());
      long expect = last;
      for (JsonNode p : res.get("publications")) {
        assertEquals(++expect, p.get("offset").asLong(), "recovered in order, no gap: " + r);
      }
      assertTrue(expect >= last + 5, "the five publications after the heal were recovered: " + r);
      b.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(TestNode node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls an operator endpoint (no event to wait on from outside the process) until it matches. */
  private static void awaitStatus(TestNode node, String path, int status, Predicate<JsonNode> body) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (true) {
      HttpResponse<String> r = get(node, path);
      if (r.statusCode() == status && body.test(RawClient.json(r.body()))) {
        return;
      }
      assertTrue(System.currentTimeMillis() < deadline, path + " never matched; last: " + r.statusCode() + " " + r.body());
      Thread.sleep(100);
    }
  }
}
