package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario of {@link ClusterTest} on the Redis broker: three nodes with {@code engine.type:
 * redis} and no Hazelcast cluster, which find each other and fan out through Redis PUB/SUB. The
 * two Hazelcast-specific cases are replaced by their Redis-broker counterparts.
 */
class RedisBrokerClusterTest extends ClusterTest {

  /** Redis commands run so far, by name, on every master (replicas repeat them: not counted). */
  static java.util.concurrent.Callable<Map<String, Long>> commandStats;

  /** Hides {@link ClusterTest#start}: the same nodes, on the Redis broker. */
  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    cluster = TestCluster.redisBroker(3, "{\"address\": [\"" + redis.address() + "\"]}", "{" + METRICS + "}");
    vertx = Vertx.vertx();
    commandStats = () -> redisWork(List.of(redis));
  }

  /** Each node's event-bus API is local to its Vert.x, but what it publishes reaches every node. */
  @Test
  @Override
  void aVertxServicePublishesThroughTheEventBusApi() throws Exception {
    String ch = unique("eb");
    RawClient sub = client(cluster.node(2), "eb");
    sub.subscribe(ch);
    Vertx nodeVertx = cluster.node(0).server().node().vertx();
    JsonObject reply = nodeVertx.eventBus().<JsonObject>request("rotor.api", new JsonObject().put("method", "publish")
        .put("params", new JsonObject().put("channel", ch).put("data", new JsonObject().put("n", 7))))
        .await(10, TimeUnit.SECONDS).body();
    assertTrue(reply.containsKey("result"), () -> "no result: " + reply);
    assertEquals(1, reply.getJsonObject("result").getLong("offset"));
    assertEquals(List.of(7L), receive(sub, ch, 1, null));
  }

  /**
   * What one publication costs on the Redis broker, published through node 0 with subscribers on
   * nodes 1 and 2: one script call, which appends and publishes in one step (INFO commandstats
   * counts the commands the script runs), and no message between nodes.
   */
  @Test
  @Override
  void onePublicationCostsOneRequestToTheOwnerAndOneMessagePerRemoteSubscriberNode() throws Exception {
    int n = 200;
    Cost cost = cost(n);
    assertOneScriptAndAppendEach(cost, n);
    // Besides: each node's heartbeat (one PUBLISH a second) and the liveness probes (published by their script).
    long publishes = cost.commands().getOrDefault("publish", 0L);
    long probes = cost.commands().getOrDefault(PROBE_APPENDS, 0L);
    assertTrue(publishes >= n + probes && publishes <= n + probes + 3 * (cost.seconds() + 1),
        "one PUB/SUB message per publication, inside the script, plus heartbeats: " + publishes + " in " + cost.seconds() + " s");
  }

  /** One script call and one XADD per publication, besides the background work {@link ClusterTest#publicationScripts} discounts. */
  static void assertOneScriptAndAppendEach(Cost cost, int n) {
    assertEquals(n, ClusterTest.publicationScripts(cost.commands()), "one script call per publication");
    assertEquals(n, cost.commands().getOrDefault("xadd", 0L) - cost.commands().getOrDefault(PROBE_APPENDS, 0L),
        "one append per publication");
  }

  /** Redis commands run for {@code n} publications and how many seconds (rounded up) they took. */
  record Cost(Map<String, Long> commands, long seconds) {
  }

  /** Publishes {@code n} times through node 0 with subscribers on nodes 1 and 2; counts Redis commands. */
  Cost cost(int n) throws Exception {
    TestNode entry = cluster.node(0);
    String ch = unique("cost");
    RawClient s1 = client(cluster.node(1), "s1");
    RawClient s2 = client(cluster.node(2), "s2");
    s1.subscribe(ch);
    s2.subscribe(ch);
    api(entry).publish(ch, "{\"n\":0}"); // warm-up: scripts loaded, connections open
    receive(s1, ch, 1, null);
    receive(s2, ch, 1, null);
    Map<String, Long> before = commandStats.call();
    long started = System.nanoTime();
    for (int i = 1; i <= n; i++) {
      api(entry).publish(ch, "{\"n\":" + i + "}");
    }
    receive(s1, ch, n, null);
    receive(s2, ch, n, null);
    Map<String, Long> commands = commandsRun(before, commandStats.call());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
    System.out.println("COST per " + n + " publications (" + getClass().getSimpleName() + "): redis " + commands);
    return new Cost(commands, seconds);
  }
}
