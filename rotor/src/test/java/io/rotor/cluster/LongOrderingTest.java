package io.rotor.cluster;

import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The full-size ordering run: 10,000 sequential publications through node A, seen 1..N on B and C. */
@Tag("slow")
class LongOrderingTest {

  @Test
  void tenThousandSequentialPublicationsArriveInOrderOnOtherNodes() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<RawClient> clients = new ArrayList<>();
    try (RedisProcess redis = RedisProcess.start(); TestCluster cluster = TestCluster.start(3, redis)) {
      ClusterTest.sequentialOrder(cluster, 10_000, vertx, clients);
    } finally {
      clients.forEach(RawClient::close);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
