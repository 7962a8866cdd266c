package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.LightSubscriber;
import io.rotor.testing.NatsProcess;
import io.rotor.testing.NodeProcess;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.RawClient;
import io.rotor.testing.Topology;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node process is killed with SIGKILL while ~1000 publications per second go round-robin through
 * the three nodes' HTTP API. Every subscriber must end with every acknowledged publication exactly
 * once, in offset order, in one epoch; the dead node's subscribers reconnect to the others and
 * recover. On every {@link Topology}: with Hazelcast the killed node owns the channel, so its
 * sequencer moves too; on the brokers (Redis, through Sentinel, on a Redis Cluster, NATS) there is
 * no owner (offsets come from Redis), and the dead node's share of the fan-out goes away with it.
 *
 * <p>300 subscribers (the scale; {@code rotor.crash.subscribers} to change it), a third
 * on each node, all in one test JVM: {@link LightSubscriber}s on one shared WebSocket client.
 * Printed ({@code CRASH} lines, quoted in docs/reliability.md): how long publishing through the
 * surviving nodes was disturbed, and how the subscribers came back.
 */
@Tag("slow")
@Tag("torture")
class CrashTest {

  private static final int NODES = 3;
  private static final int PUBLISH_SECONDS = 25;
  private static final int KILL_AFTER_MS = 5_000;
  private static final int SUBSCRIBERS = Integer.getInteger("rotor.crash.subscribers", 300);
  private static final long NATS_DOWN_MS = 3_000;

  /** A recoverable namespace for the torture tests' channels. */
  static final String NAMESPACE = "{\"channel\": {\"namespaces\": [{\"name\": \"crash\", \"history_size\": 100000,"
      + " \"history_ttl\": \"600s\", \"force_recovery\": true, \"allow_subscribe_for_client\": true,"
      + " \"presence\": true}]}}";

  @ParameterizedTest(name = "{0}")
  @EnumSource(Topology.class)
  void killingANodeMidStreamLosesNoAcknowledgedPublication(Topology topology) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<LightSubscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(NODES, NAMESPACE, topology)) {
      List<String> ids = cluster.awaitCluster(Duration.ofSeconds(120));
      int victimIndex = NODES - 1;
      // With Hazelcast the channel is owned by the node that will die: its sequencer has to move.
      String ch = topology.hazelcast() ? ChannelOwners.channelOwnedBy("crash:c", ids.get(victimIndex), ids)
          : "crash:" + topology.name().toLowerCase(Locale.ROOT);
      NodeProcess victim = cluster.node(victimIndex);
      faultMidStream(topology.name(), cluster, ch, victim::kill9, victim.port(), vertx, subscribers);
      for (LightSubscriber s : subscribers) {
        if (s.initialNode == victimIndex) {
          assertTrue(s.recoveries.get() >= 1, "subscriber " + s.index + " of the dead node reconnected and recovered");
        }
      }
    } finally {
      subscribers.forEach(LightSubscriber::stop);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The NATS topology's own single point: the nats-server is killed with SIGKILL mid-stream and
   * started again on its port {@value #NATS_DOWN_MS} ms later. Publishing goes on (offsets and
   * history are in Redis); what NATS did not carry meanwhile, the subscribers learn of (the
   * nodes check their subscribers' positions as soon as NATS is back) and recover from Redis.
   */
  @Test
  void killingTheNatsServerMidStreamLosesNoAcknowledgedPublication() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<LightSubscriber> subscribers = new ArrayList<>();
    // Every subscriber misses the whole outage: one recovery may have to return all that the
    // publishers can offer in the run (~1000/s), not the default 300.
    String config = RawClient.merge(NAMESPACE, "{\"client\": {\"recovery_max_publication_limit\": "
        + PUBLISH_SECONDS * 1000 + "}}");
    try (ProcessCluster cluster = ProcessCluster.start(NODES, config, Topology.NATS)) {
      cluster.awaitCluster(Duration.ofSeconds(120));
      NatsProcess nats = cluster.backends().nats();
      faultMidStream("nats-server", cluster, "crash:nats-server", () -> {
        nats.kill9();
        Thread.sleep(NATS_DOWN_MS); // the outage lasts its stated time
        nats.restart();
      }, -1, vertx, subscribers);
    } finally {
      subscribers.forEach(LightSubscriber::stop);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A fault injected mid-stream: it returns once the process it kills is dead (or, for an outage, back). */
  interface Fault {
    void inject() throws Exception;
  }

  /**
   * Subscribers spread over the nodes, paced publishers through every node, {@code fault} injected
   * mid-stream; every subscriber ends up with every acknowledged publication. {@code deadPort}: the
   * HTTP port of the node the fault kills (its refused publishes are not counted as disturbance), or -1.
   */
  private static void faultMidStream(String name, ProcessCluster cluster, String ch, Fault fault, int deadPort,
      Vertx vertx, List<LightSubscriber> subscribers) throws Exception {
    WebSocketClient ws = LightSubscriber.client(vertx);
    LightSubscriber.Values values = new LightSubscriber.Values(100_000);
    subscribers.addAll(LightSubscriber.startSpread(vertx, ws, ch, cluster.ports(), SUBSCRIBERS, values, null));

    // Two sequential publishers per node, ~167/s each; an answered publish is acknowledged.
    List<Integer> ports = cluster.ports();
    ProcessCluster.Publishers publishers = new ProcessCluster.Publishers(ch, () -> ports, NODES * 2, 6_000).start();
    Thread.sleep(KILL_AFTER_MS); // mid-stream, by design
    long topAtKill = publishers.top();
    long killedAt = System.currentTimeMillis();
    fault.inject();
    long faultTook = System.currentTimeMillis() - killedAt;
    Thread.sleep(Math.max(0, PUBLISH_SECONDS * 1000L - KILL_AFTER_MS - faultTook)); // the load runs its stated time
    publishers.stop();
    long top = publishers.top();
    System.out.println("CRASH " + name + ": " + publishers.summary());
    assertTrue(topAtKill > 100, "publications were flowing before the kill: " + topAtKill);
    assertTrue(top > topAtKill + 100, "publishing went on after the kill: " + topAtKill + " -> " + top);

    // Publishing after the kill: the first acknowledgement of a publication sent after it, and the
    // failures of publications sent through the nodes still running (those sent to a dead node's
    // port are refused, as a load balancer's health check would take it out of rotation).
    long[] firstAfter = publishers.firstAckedSentAfter(killedAt);
    assertNotNull(firstAfter, "publishing never worked again: " + publishers.summary());
    long[] survivorFailures = publishers.failuresSentAfter(killedAt, deadPort);
    String disturbance = "first publication sent after the kill acknowledged " + (firstAfter[1] - killedAt)
        + " ms after it; " + survivorFailures[0] + " publications through the running nodes failed"
        + (survivorFailures[0] == 0 ? "" : ", the last sent " + (survivorFailures[1] - killedAt) + " ms after the kill");

    ProcessCluster.assertCompleteLight(subscribers, values, publishers, Duration.ofSeconds(120));
    int insufficient = subscribers.stream().mapToInt(s -> s.insufficientState.get()).sum();
    System.out.println("CRASH " + name + ": " + disturbance + "; " + subscribers.size() + " subscribers over " + NODES
        + " nodes all complete up to offset " + top + ", none told it could not recover, no silent gap; "
        + movesAndRecoveries(subscribers) + ", " + insufficient + " insufficient-state (2500) pushes");
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
