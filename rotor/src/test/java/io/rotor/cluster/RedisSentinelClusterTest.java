package io.rotor.cluster;

import io.rotor.testing.RedisSentinels;
import io.rotor.testing.TestCluster;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every scenario of {@link RedisBrokerClusterTest} with the nodes reaching Redis through Sentinel
 * ({@code engine.redis.sentinel_address}): a master, a replica and three Sentinels, all real.
 */
class RedisSentinelClusterTest extends RedisBrokerClusterTest {

  static RedisSentinels sentinels;

  @BeforeAll
  static void start() {
    sentinels = RedisSentinels.start(5000);
    cluster = TestCluster.redisBroker(3, sentinels.engineConfig(), "{" + METRICS + "}");
    vertx = Vertx.vertx();
    commandStats = () -> redisWork(java.util.List.of(sentinels.master()));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    sentinels.close();
  }
}
