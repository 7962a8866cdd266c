package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.core.Publication;
import io.rotor.history.HistoryOptions;
import io.rotor.history.PublishConditions;
import io.rotor.history.RedisHistoryStore;
import io.rotor.redis.RedisShards;
import io.rotor.testing.NatsProcess;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        "{" + METRICS + ", \"broker\": {\"enabled\": true, \"type\": \"nats\", \"nats\": {\"url\": \"" + nats.url() + "\","
            + " \"prefix\": \"rotor-test\"}}}");
    vertx = Vertx.vertx();
    commandStats = () -> redisWork(java.util.List.of(redis));
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
    int n = 200;
    Cost cost = cost(n);
    assertOneScriptAndAppendEach(cost, n);
    long publishes = cost.commands().getOrDefault("publish", 0L);
    assertTrue(publishes <= 3 * (cost.seconds() + 1), "no Redis PUBLISH per publication, only heartbeats: " + publishes);
  }

  /**
   * A node killed between its append and its NATS publish leaves a hole no NATS message fills
   * (offset 2 here: appended to the stream as a node does, and never published). The nodes' reorder
   * windows read it from the stream once their wait is over, so subscribers on every node get
   * every publication in order, with no gap to be told about and nothing to recover.
   */
  @Test
  void aPublicationAppendedButNeverSentOverNatsIsReadFromTheStream() throws Exception {
    String ch = unique("hole");
    RawClient a = client(cluster.node(1), "a");
    RawClient b = client(cluster.node(2), "b");
    a.subscribe(ch);
    b.subscribe(ch);
    assertEquals(1, api(cluster.node(0)).publish(ch, "{\"n\":1}"));
    RedisShards shards = new RedisShards(vertx, cluster.node(0).server().node().options().getEngine().getRedis());
    try {
      Publication lost = new Publication(0, "", "{\"n\":2}".getBytes(StandardCharsets.UTF_8), null, Map.of(),
          System.currentTimeMillis());
      long offset = new RedisHistoryStore(shards).add(ch, lost, new HistoryOptions(1000, Duration.ofSeconds(300),
          Duration.ZERO), PublishConditions.NONE).await(10, TimeUnit.SECONDS).position().offset();
      assertEquals(2, offset);
    } finally {
      shards.close();
    }
    assertEquals(3, api(cluster.node(0)).publish(ch, "{\"n\":3}"));
    for (RawClient c : List.of(a, b)) {
      List<Long> offsets = new ArrayList<>();
      assertEquals(List.of(1L, 2L, 3L), receive(c, ch, 3, offsets));
      assertEquals(List.of(1L, 2L, 3L), offsets);
    }
  }
}
