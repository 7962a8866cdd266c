package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.LightSubscriber;
import io.rotor.testing.NodeProcess;
import io.rotor.testing.ProcessCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
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
 *
 * <p>300 subscribers (the scale; {@code rotor.crash.subscribers} to change it), a third
 * on each node, all in one test JVM: {@link LightSubscriber}s on one shared WebSocket client.
 */
@Tag("slow")
@Tag("torture")
class CrashTest {

  private static final int NODES = 3;
  private static final int PUBLISH_SECONDS = 25;
  private static final int KILL_AFTER_MS = 5_000;
  private static final int SUBSCRIBERS = Integer.getInteger("rotor.crash.subscribers", 300);

  /** A recoverable namespace for the torture tests' channels. */
  static final String NAMESPACE = "{\"channel\": {\"namespaces\": [{\"name\": \"crash\", \"history_size\": 100000,"
      + " \"history_ttl\": \"600s\", \"force_recovery\": true, \"allow_subscribe_for_client\": true,"
      + " \"presence\": true}]}}";

  @Test
  void killingANodeMidStreamLosesNoAcknowledgedPublication() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<LightSubscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(NODES, NAMESPACE)) {
      List<String> ids = cluster.awaitCluster(Duration.ofSeconds(120));
      // The channel is owned by the node that will die: its sequencer has to move.
      int victimIndex = NODES - 1;
      String ch = ChannelOwners.channelOwnedBy("crash:c", ids.get(victimIndex), ids);
      killMidStream(cluster, ch, victimIndex, vertx, subscribers);
    } finally {
      subscribers.forEach(LightSubscriber::stop);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Subscribers spread over the nodes, paced publishers through every node, node {@code victimIndex}
   * killed with SIGKILL mid-stream; every subscriber ends up with every acknowledged publication.
   */
  static void killMidStream(ProcessCluster cluster, String ch, int victimIndex, Vertx vertx,
      List<LightSubscriber> subscribers) throws Exception {
    {
      NodeProcess victim = cluster.node(victimIndex);

      WebSocketClient ws = LightSubscriber.client(vertx);
      LightSubscriber.Values values = new LightSubscriber.Values(100_000);
      subscribers.addAll(LightSubscriber.startSpread(vertx, ws, ch, cluster.ports(), SUBSCRIBERS, values, null));

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
      assertTrue(top > topAtKill + 100, "publishing went on after the kill: "
          + topAtKill + " -> " + top);

      ProcessCluster.assertCompleteLight(subscribers, values, publishers, Duration.ofSeconds(120));
      System.out.println("CRASH: " + subscribers.size() + " subscribers over " + NODES + " nodes all complete up to"
          + " offset " + top + "; " + movesAndRecoveries(subscribers));
      for (LightSubscriber s : subscribers) {
        if (s.initialNode == victimIndex) {
          assertTrue(s.recoveries.get() >= 1, "subscriber " + s.index + " of the dead node reconnected and recovered");
        }
      }
    }
  }

  /** "N reconnected, M recoveries" over the subscribers: how many moved to another connection, and recovered. */
  static String movesAndRecoveries(List<LightSubscriber> subscribers) {
    int moved = 0;
    int recoveries = 0;
    for (LightSubscriber s : subscribers) {
      moved += s.connections.get() > 1 ? 1 : 0;
      recoveries += s.recoveries.get();
    }
    return moved + " reconnected, " + recoveries + " recoveries";
  }
}
