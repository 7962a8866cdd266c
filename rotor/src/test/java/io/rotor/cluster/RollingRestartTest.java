package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.NodeProcess;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.Subscriber;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 10 of the torture suite: the three nodes are restarted one after the other with SIGTERM
 * (as a deployment does) while publications go round-robin through the running nodes' HTTP API.
 * Each node's clients are told 3001 and move to another node, recovering from their position; no
 * acknowledged publication is lost, every subscriber ends with all of them once, in order, in one
 * epoch.
 */
@Tag("slow")
@Tag("torture")
class RollingRestartTest {

  private static final int NODES = 3;
  private static final int SUBSCRIBERS_PER_NODE = 2;
  /** Publications per second offered, over all publishers. */
  private static final int RATE = 300;
  private static final int PUBLISHERS = 3;

  @Test
  void restartingEveryNodeInTurnLosesNoAcknowledgedPublication() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Subscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(NODES, CrashTest.NAMESPACE)) {
      List<String> ids = cluster.awaitCluster(Duration.ofSeconds(120));
      // Start with the node that owns the channel: its sequencer moves first, and back later.
      String ch = ChannelOwners.channelOwnedBy("crash:r", ids.get(0), ids);
      Subscriber.startSpread(vertx, ch, cluster.ports(), NODES * SUBSCRIBERS_PER_NODE, subscribers);

      Set<Integer> down = ConcurrentHashMap.newKeySet();
      List<Integer> ports = cluster.ports();
      ProcessCluster.Publishers publishers = new ProcessCluster.Publishers(ch,
          () -> ports.stream().filter(p -> !down.contains(p)).toList(), PUBLISHERS, 1_000_000L * PUBLISHERS / RATE)
          .start();
      long started = System.currentTimeMillis();
      awaitTop(publishers, 200);
      List<Long> restartMs = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        NodeProcess node = cluster.node(i);
        long t0 = System.currentTimeMillis();
        down.add(node.port());
        node.terminate();
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (3001 to clients, leave the cluster) and exited.
        assertEquals(143, node.awaitExit(30), "graceful exit code of node " + i);
        cluster.restart(i, 120);
        down.remove(node.port());
        cluster.awaitCluster(Duration.ofSeconds(60));
        restartMs.add(System.currentTimeMillis() - t0);
        // The load goes on through the restarted node before the next one goes down.
        long top = publishers.top();
        awaitTop(publishers, top + 200);
      }
      publishers.stop();
      long seconds = (System.currentTimeMillis() - started) / 1000;
      System.out.println("ROLLING RESTART: " + NODES + " nodes restarted in turn, each down and back in (ms) "
          + restartMs + "; " + publishers.summary() + " over " + seconds + " s ("
          + publishers.acked.size() / Math.max(1, seconds) + " acknowledged/s), " + subscribers.size() + " subscribers");

      ProcessCluster.assertComplete(subscribers, publishers, Duration.ofSeconds(90));
      int moved = 0;
      for (Subscriber s : subscribers) {
        assertTrue(s.closeCodes.contains(3001), "subscriber " + s.index + " was told 3001: " + s.closeCodes);
        assertTrue(s.recoveries.get() >= 1, "subscriber " + s.index + " recovered after moving");
        moved += s.closeCodes.size();
      }
      System.out.println("ROLLING RESTART: subscribers moved " + moved + " times (close codes "
          + subscribers.stream().map(s -> s.closeCodes.toString()).toList() + "), recoveries "
          + subscribers.stream().mapToInt(s -> s.recoveries.get()).sum() + "; every acknowledged publication once, in order, one epoch");
    } finally {
      subscribers.forEach(Subscriber::stopRunning);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Waits until an offset at or above {@code offset} was acknowledged. */
  static void awaitTop(ProcessCluster.Publishers publishers, long offset) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (publishers.top() < offset) {
      assertTrue(System.currentTimeMillis() < deadline, "publications stopped at " + publishers.top() + ": "
          + publishers.summary());
      Thread.sleep(50); // polling a counter the publisher threads advance
    }
  }
}
