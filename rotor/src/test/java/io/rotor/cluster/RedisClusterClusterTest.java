package io.rotor.cluster;

import io.rotor.testing.RedisClusterProcesses;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every scenario of {@link RedisBrokerClusterTest} on a Redis Cluster ({@code engine.redis.cluster_address}):
 * three masters with a replica each, joined with {@code redis-cli --cluster create}. A channel's
 * keys carry it as a hash tag, so its stream, meta and presence share one slot and the append
 * script runs on one master.
 */
class RedisClusterClusterTest extends RedisBrokerClusterTest {

  static RedisClusterProcesses redisCluster;

  @BeforeAll
  static void start() {
    redisCluster = RedisClusterProcesses.start(3, 5000);
    cluster = TestCluster.redisBroker(3, redisCluster.engineConfig(), "{" + METRICS + "}");
    vertx = Vertx.vertx();
    commandStats = () -> {
      List<RedisProcess> masters = new ArrayList<>();
      for (RedisProcess r : redisCluster.servers()) {
        if (r.command("INFO", "replication").contains("role:master")) {
          masters.add(r);
        }
      }
      return redisWork(masters);
    };
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redisCluster.close();
  }
}
