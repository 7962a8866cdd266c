package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.NatsProcess;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario of {@link RedisBrokerClusterTest} with NATS as the broker ({@code broker.enabled},
 * {@code broker.type: nats}, a real {@code nats-server}): publications fan out through NATS, while
 * offsets, history, presence and node discovery stay in Redis.
 */
class NatsBrokerClusterTest extends RedisBrokerClusterTest {

  static NatsProcess nats;

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    nats = NatsProcess.start();
    cluster = TestCluster.redisBroker(3, "{\"address\": [\"" + redis.address() + "\"]}",
        "{\"broker\": {\"enabled\": true, \"type\": \"nats\", \"nats\": {\"url\": \"" + nats.url() + "\","
            + " \"prefix\": \"rotor-test\"}}}");
    vertx = Vertx.vertx();
    commandStats = redis::commandStats;
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
    nats.close();
  }

  /**
   * What one publication costs with the NATS broker, published through node 0 with subscribers on
   * nodes 1 and 2: one Redis script call (offset and append, no PUBLISH in it) and one NATS message.
   */
  @Test
  @Override
  void onePublicationCostsOneRequestToTheOwnerAndOneMessagePerRemoteSubscriberNode() throws Exception {
    TestNode entry = cluster.node(0);
    String ch = unique("cost");
    RawClient s1 = client(cluster.node(1), "s1");
    RawClient s2 = client(cluster.node(2), "s2");
    s1.subscribe(ch);
    s2.subscribe(ch);
    api(entry).publish(ch, "{\"n\":0}");
    receive(s1, ch, 1, null);
    receive(s2, ch, 1, null);
    int n = 200;
    Map<String, Long> before = commandStats.call();
    long started = System.nanoTime();
    for (int i = 1; i <= n; i++) {
      api(entry).publish(ch, "{\"n\":" + i + "}");
    }
    receive(s1, ch, n, null);
    receive(s2, ch, n, null);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
    Map<String, Long> commands = commandsRun(before, commandStats.call());
    System.out.println("COST per " + n + " publications with the NATS broker: redis " + commands);
    assertEquals(n, commands.getOrDefault("evalsha", 0L), "one script call per publication");
    assertEquals(n, commands.getOrDefault("xadd", 0L));
    long publishes = commands.getOrDefault("publish", 0L);
    assertTrue(publishes <= 3 * (seconds + 1), "no Redis PUBLISH per publication, only heartbeats: " + publishes);
  }
}
