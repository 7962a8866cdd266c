package io.rotor.cluster;

import io.rotor.testing.LightSubscriber;
import io.rotor.testing.ProcessCluster;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link CrashTest} on the Redis broker: three node JVMs with {@code engine.type: redis} and no
 * Hazelcast, subscribers spread over them, publishers through every node; one node is killed with
 * SIGKILL mid-stream. Its subscribers reconnect to the others and recover; no acknowledged
 * publication is lost and every subscriber holds them once, in offset order, in one epoch.
 */
@Tag("slow")
@Tag("torture")
class RedisBrokerCrashTest {

  @Test
  void killingANodeMidStreamLosesNoAcknowledgedPublication() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<LightSubscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(3, CrashTest.NAMESPACE, false)) {
      cluster.awaitCluster(Duration.ofSeconds(120));
      CrashTest.killMidStream(cluster, "crash:redis-broker", 2, vertx, subscribers);
    } finally {
      subscribers.forEach(LightSubscriber::stop);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
