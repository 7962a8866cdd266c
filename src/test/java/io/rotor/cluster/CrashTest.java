package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.NodeProcess;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.Subscriber;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node process is killed with SIGKILL while ~1000 publications per second go round-robin through
 * the three nodes' HTTP API. Every subscriber must end with every acknowledged publication exactly
 * once, in offset order, in one epoch; the dead node's subscribers reconnect to the others and
 * recover. The killed node owns the channel, so its sequencer moves too.
 */
@Tag("slow")
@Tag("torture")
class CrashTest {

  private static final int NODES = 3;
  private static final int PUBLISH_SECONDS = 25;
  private static final int KILL_AFTER_MS = 5_000;

  /** A recoverable namespace for the torture tests' channels. */
  static final String NAMESPACE = "{\"channel\": {\"namespaces\": [{\"name\": \"crash\", \"history_size\": 100000,"
      + " \"history_ttl\": \"600s\", \"force_recovery\": true, \"allow_subscribe_for_client\": true,"
      + " \"presence\": true}]}}";

  @Test
  void killingANodeMidStreamLosesNoAcknowledgedPublication() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Subscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(NODES, NAMESPACE)) {
      List<String> ids = cluster.awaitCluster(Duration.ofSeconds(120));
      // The channel is owned by the node that will die: its sequencer has to move.
      int victimIndex = NODES - 1;
      String ch = ChannelOwners.channelOwnedBy("crash:c", ids.get(victimIndex), ids);
      NodeProcess victim = cluster.node(victimIndex);

      Subscriber.startSpread(vertx, ch, cluster.ports(), NODES * 2, subscribers);

      // Two sequential publishers per node, ~167/s each; an answered publish is acknowledged.
      List<Integer> ports = cluster.ports();
      ProcessCluster.Publishers publishers = new ProcessCluster.Publishers(ch, () -> ports, NODES * 2, 6_000).start();
      Thread.sleep(KILL_AFTER_MS); // mid-stream, by design
      long topAtKill = publishers.top();
      victim.kill9();
      System.out.println("CRASH: killed at " + System.currentTimeMillis() % 100000);
      Thread.sleep(PUBLISH_SECONDS * 1000L - KILL_AFTER_MS); // the load runs on for its stated duration
      publishers.stop();
      long top = publishers.top();
      System.out.println("CRASH: " + publishers.summary());
      assertTrue(topAtKill > 100, "publications were flowing before the kill: " + topAtKill);
      assertTrue(top > topAtKill + 100, "publishing went on after the kill (the channel moved to a new owner): "
          + topAtKill + " -> " + top);

      ProcessCluster.assertComplete(subscribers, publishers, Duration.ofSeconds(90));
      for (Subscriber s : subscribers) {
        if (s.initialNode == victimIndex) {
          assertTrue(s.recoveries.get() >= 1, "subscriber " + s.index + " of the dead node reconnected and recovered");
        }
      }
    } finally {
      subscribers.forEach(Subscriber::stopRunning);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
