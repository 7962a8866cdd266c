package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.NatsProcess;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.vertx.core.Vertx;
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
}
