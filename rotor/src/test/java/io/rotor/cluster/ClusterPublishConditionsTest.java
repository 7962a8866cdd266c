package io.rotor.cluster;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotent and versioned publish through a 3-node cluster on Redis: the retry of a publish that
 * lands on another node (owner or not, one after another or all at once) answers the first result
 * and reaches every subscriber once, because the record is kept where the channel is sequenced.
 * A 2-node cluster on the memory engine, where the record lives in the owner's JVM, does the same.
 */
class ClusterPublishConditionsTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static RedisProcess redis;
  private static TestCluster cluster;
  private static Vertx vertx;
  private final List<RawClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    cluster = TestCluster.start(3, redis);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RawClient::close);
    clients.clear();
  }

  private RawClient subscriber(TestNode on, String ch) {
    RawClient c = RawClient.open(vertx, on.port());
    clients.add(c);
    c.connect(token("u" + NAMES.incrementAndGet()));
    c.subscribe(ch);
    return c;
  }

  private static String body(String ch, int n, String extra) {
    return "{\"channel\":\"" + ch + "\",\"data\":{\"n\":" + n + "}," + extra + "}";
  }

  /** {@code data.n} of what arrived before the marker {@code n = -1} (published last, order kept per channel). */
  private static List<Integer> upToMarker(RawClient c, String ch, RawClient.Api api) {
    api.result("publish", body(ch, -1, "\"skip_history\":false"));
    List<Integer> got = new ArrayList<>();
    while (true) {
      int n = c.await(pub(ch), Duration.ofSeconds(20)).get("push").get("pub").get("data").get("n").asInt();
      if (n == -1) {
        return got;
      }
      got.add(n);
    }
  }

  private static void idempotentThroughEveryNode(TestCluster cluster, List<RawClient> subs, String ch, String key) {
    List<ObjectNode> answers = new ArrayList<>();
    for (int i = 0; i < cluster.nodes().size(); i++) {
      answers.add(new RawClient.Api(cluster.node(i).port()).result("publish", body(ch, i + 1, "\"idempotency_key\":\"" + key + "\"")));
    }
    for (ObjectNode a : answers) {
      assertEquals(answers.get(0), a, "every node answers the first result: " + answers);
    }
    RawClient.Api api = new RawClient.Api(cluster.node(0).port());
    for (RawClient s : subs) {
      assertEquals(List.of(1), upToMarker(s, ch, api), "delivered once, the first one");
    }
  }

  @Test
  void aRetryOnAnotherNodeAnswersTheFirstResultAndIsDeliveredOnce() {
    String ch = "idem" + NAMES.incrementAndGet();
    List<RawClient> subs = List.of(subscriber(cluster.node(0), ch), subscriber(cluster.node(1), ch),
        subscriber(cluster.node(2), ch));
    idempotentThroughEveryNode(cluster, subs, ch, "k");
    // Without history the record is kept by the channel's owner too (Redis: beside its stream).
    String nh = "nohistory:idem" + NAMES.incrementAndGet();
    idempotentThroughEveryNode(cluster, List.of(subscriber(cluster.node(1), nh), subscriber(cluster.node(2), nh)), nh, "k");
  }

  @Test
  void concurrentRetriesOnThreeNodesPublishOnce() throws Exception {
    for (int round = 0; round < 5; round++) {
      String ch = "race" + NAMES.incrementAndGet();
      RawClient s = subscriber(cluster.node(round % 3), ch);
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RawClient.Api api = new RawClient.Api(cluster.node(i).port());
        int n = i + 1;
        sent.add(CompletableFuture.supplyAsync(() -> api.send(api.request("/api/publish", body(ch, n, "\"idempotency_key\":\"same\""))
            .header("X-API-Key", TestNode.API_KEY).build())));
      }
      Set<String> answers = new HashSet<>();
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        answers.add(RawClient.json(f.get(20, TimeUnit.SECONDS).body()).get("result").toString());
      }
      assertEquals(1, answers.size(), "one answer for all: " + answers);
      List<Integer> got = upToMarker(s, ch, new RawClient.Api(cluster.node(0).port()));
      assertEquals(1, got.size(), "published once: " + got);
    }
  }

  @Test
  void versionsAreComparedWhereverTheyArePublished() {
    String ch = "ver" + NAMES.incrementAndGet();
    RawClient s = subscriber(cluster.node(2), ch);
    RawClient.Api a = new RawClient.Api(cluster.node(0).port());
    RawClient.Api b = new RawClient.Api(cluster.node(1).port());
    long o5 = a.result("publish", body(ch, 5, "\"version\":5")).get("offset").asLong();
    assertEquals(o5, b.result("publish", body(ch, 4, "\"version\":4")).get("offset").asLong(), "stale on another node");
    assertNotEquals(o5, b.result("publish", body(ch, 6, "\"version\":6")).get("offset").asLong());
    assertEquals(List.of(5, 6), upToMarker(s, ch, a));
  }

  @Test
  void theMemoryEngineKeepsTheRecordAtTheChannelsOwner() throws Exception {
    try (TestCluster memory = TestCluster.start(2, null)) {
      String ch = "mem" + NAMES.incrementAndGet();
      List<RawClient> subs = List.of(subscriber(memory.node(0), ch), subscriber(memory.node(1), ch));
      idempotentThroughEveryNode(memory, subs, ch, "m");
    }
  }
}
