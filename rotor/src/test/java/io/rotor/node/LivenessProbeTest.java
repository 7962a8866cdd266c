package io.rotor.node;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.util.concurrent.EventExecutor;
import io.rotor.testing.Await;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TcpProxy;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

      // More clients, to see that the disconnects are spread over one probe interval, not all at once.
      java.util.List<RawClient> others = new java.util.ArrayList<>();
      java.util.Queue<Long> closedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
      for (int i = 0; i < 10; i++) {
        RawClient o = RawClient.open(vertx, node.port()).autoPong(true);
        o.connect(token("o" + i));
        o.onClose().thenRun(() -> closedAt.add(System.nanoTime()));
        others.add(o);
      }

      long faultAt = System.nanoTime();
      proxy.loseReplies();
      RawClient.Close close = a.awaitClose(Duration.ofSeconds(15));
      long detectedMs = (System.nanoTime() - faultAt) / 1_000_000;
      System.out.println("LIVENESS: clients disconnected " + detectedMs + " ms after the publish path stalled");
      assertEquals(3010, close.code(), "clients are told their state is insufficient");
      assertTrue(detectedMs < 5_000, "detected within interval x failures + timeout (+ slack): " + detectedMs);
      for (RawClient o : others) {
        assertEquals(3010, o.awaitClose(Duration.ofSeconds(5)).code());
      }
      long first = closedAt.stream().mapToLong(t -> t).min().orElseThrow();
      long spreadMs = (closedAt.stream().mapToLong(t -> t).max().orElseThrow() - first) / 1_000_000;
      System.out.println("LIVENESS: 10 clients disconnected over " + spreadMs + " ms");
      // Uniform over the 500 ms interval: ten closes all within 100 ms has a chance of about 1e-5.
      assertTrue(spreadMs >= 100 && spreadMs < 2_000, "disconnects spread over about one interval: " + spreadMs + " ms");
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

  /**
   * Overload is not silent starvation (the reconnect storm, torture case 8): while every event loop
   * of the node is held busy and Redis answers late (as under the storm), the probe misses, but the
   * loops run late, so the misses are reported as overload and not counted: the node stays ready and keeps its clients, and once the load is
   * gone the probe succeeds again. Disconnecting here would start a second storm.
   */
  @Test
  void probeMissesWhileTheEventLoopsLagDoNotDisconnectClients() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean overloaded = new AtomicBoolean(true);
    try (RedisProcess redis = RedisProcess.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port());
         TestNode node = TestNode.start(RawClient.config("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\""
             + proxy.address() + "\"]}}, \"health\": {\"liveness_probe_interval\": \"500ms\","
             + " \"liveness_probe_timeout\": \"300ms\", \"liveness_probe_failures\": 2,"
             + " \"liveness_probe_overload_lag\": \"300ms\"}}"), Map.of())) {
      Node n = node.server().node();
      RawClient.Api api = new RawClient.Api(node.port());
      String ch = "busy";
      RawClient a = RawClient.open(vertx, node.port()).autoPong(true);
      a.connect(token("a"));
      a.subscribe(ch);
      Await.until("a first probe succeeds", 15_000, () -> n.livenessStatus().getLong("last_success_at") > 0);

      // The load: every event loop of the node runs 800 ms tasks back to back (the probe's timeout is
      // 300 ms), with a short gap for I/O and timers between them, and Redis answers 1200 ms late,
      // until the probe has missed. The reply must come later than the next gap: in a gap a loop
      // reads its sockets before it runs its due timers, so a reply already there (600 ms, as
      // this test had) beats the probe's timeout timer on every probe when the loops' phases fall
      // that way, and the probe never misses (the test failed one suite run in a few).
      proxy.delayReplies(1200);
      for (EventExecutor loop : ((VertxInternal) node.vertx()).nettyEventLoopGroup()) {
        hold(loop, overloaded);
      }
      Await.until("the probe misses twice under overload", 30_000, () -> n.degraded()
          || n.livenessStatus().getLong("overloaded_misses") + n.livenessStatus().getInteger("failures") >= 2);
      assertFalse(n.degraded(), "overload does not make the node degraded: " + n.livenessStatus());
      assertEquals(0, n.livenessStatus().getInteger("failures"), n.livenessStatus().encode());
      overloaded.set(false);
      proxy.delayReplies(0);
      long after = System.currentTimeMillis();
      Await.until("the probe succeeds once the load is gone", 15_000,
          () -> n.livenessStatus().getLong("last_success_at") >= after);
      System.out.println("LIVENESS: overload, " + n.livenessStatus().encode());

      assertFalse(a.isClosed(), "the client kept its connection");
      api.publish(ch, "{\"after\":\"overload\"}");
      a.await(pub(ch));
      assertEquals(200, get(node, "/ready").statusCode());
      a.close();
    } finally {
      overloaded.set(false);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Holds {@code loop} busy for 800 ms at a time, again and again while {@code on}. */
  private static void hold(EventExecutor loop, AtomicBoolean on) {
    if (!on.get() || loop.isShuttingDown()) {
      return;
    }
    loop.execute(() -> {
      try {
        Thread.sleep(800); // the overload itself: a loop that is busy, as under a storm
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop.schedule(() -> hold(loop, on), 5, TimeUnit.MILLISECONDS);
    });
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
