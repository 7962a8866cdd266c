package io.rotor.cluster;

import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.NodeProcess;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.RawClient;
import io.rotor.testing.Subscriber;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 9 of the torture suite: the node process that owns the channel is frozen with SIGSTOP (it
 * holds its sockets but answers nothing: a partition as the others see it) past the Hazelcast
 * heartbeat timeout while publications go on through the other two nodes, then continued with
 * SIGCONT. The channel must move to a new owner, the frozen node's presence must expire, the
 * cluster must heal with no stale member id in anyone's view, publications must flow both ways
 * through the healed node, and every subscriber ends with every acknowledged publication once, in
 * order, in one epoch.
 */
@Tag("slow")
@Tag("torture")
class PartitionTest {

  private static final int NODES = 3;
  private static final int SUBSCRIBERS_PER_NODE = 2;
  private static final int HEARTBEAT_S = 4;
  private static final int PRESENCE_TTL_S = 3;
  private static final int RATE = 200;
  private static final int PUBLISHERS = 2;
  /**
   * What the scenario can publish at full speed: the offered rate over its longest run (two minutes
   * is well over what the freeze, the heal and the waits take). The recovery limit and the history
   * are sized to it, so a subscriber of the frozen node can always recover on a fast machine too;
   * a "not recovered" beyond it would be honest, within it a violation.
   */
  private static final int FULL_SPEED_PUBLICATIONS = RATE * 120;

  @Test
  void frozenNodeIsReplacedAndRejoinsWithoutLoss() throws Exception {
    String overrides = RawClient.merge(CrashTest.NAMESPACE, "{\"cluster\": {\"heartbeat_timeout\": \"" + HEARTBEAT_S
        + "s\"}, \"engine\": {\"redis\": {\"presence_ttl\": \"" + PRESENCE_TTL_S + "s\"}},"
        + " \"client\": {\"channel_position_check_delay\": \"2s\", \"recovery_max_publication_limit\": "
        + FULL_SPEED_PUBLICATIONS + "}}");
    Vertx vertx = Vertx.vertx();
    List<Subscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(NODES, overrides)) {
      List<String> ids = cluster.awaitCluster(Duration.ofSeconds(120));
      int victimIndex = NODES - 1;
      NodeProcess victim = cluster.node(victimIndex);
      String ch = ChannelOwners.channelOwnedBy("crash:p", ids.get(victimIndex), ids);
      Subscriber.startSpread(vertx, ch, cluster.ports(), NODES * SUBSCRIBERS_PER_NODE, subscribers);
      subscribers.forEach(s -> s.recoveryLimit(FULL_SPEED_PUBLICATIONS));
      RawClient.Api live = new RawClient.Api(cluster.node(0).port());
      awaitPresence(live, ch, subscribers.size(), Duration.ofSeconds(10));

      Set<Integer> out = ConcurrentHashMap.newKeySet();
      List<Integer> ports = cluster.ports();
      ProcessCluster.Publishers publishers = new ProcessCluster.Publishers(ch,
          () -> ports.stream().filter(p -> !out.contains(p)).toList(), PUBLISHERS, 1_000_000L * PUBLISHERS / RATE)
          .start();
      RollingRestartTest.awaitTop(publishers, 200);

      // Freeze the owner; publishing goes on through the other two.
      out.add(victim.port());
      long topAtStop = publishers.top();
      signal("STOP", victim);
      long stoppedAt = System.currentTimeMillis(); // kill has returned: the process is stopped
      awaitPresence(live, ch, subscribers.size() - SUBSCRIBERS_PER_NODE, Duration.ofSeconds(PRESENCE_TTL_S + 10));
      long presenceGoneMs = System.currentTimeMillis() - stoppedAt;
      // Routing drops a member when Hazelcast does (info alone cannot tell: it leaves out a member
      // that does not answer in time, dropped or not).
      for (int i = 0; i < NODES - 1; i++) {
        cluster.node(i).awaitLine("node " + ids.get(victimIndex) + " left", HEARTBEAT_S + 20);
      }
      long droppedAt = System.currentTimeMillis();
      cluster.awaitMembers(List.of(0, 1), Duration.ofSeconds(10));
      long droppedMs = droppedAt - stoppedAt;
      long[] firstAfter = awaitFirstAckedSentAfter(publishers, stoppedAt);
      long flowAgainMs = firstAfter[1] - stoppedAt;
      RollingRestartTest.awaitTop(publishers, publishers.top() + 200);
      // Requests sent before both live nodes dropped the frozen one may time out on it; none sent
      // after that may fail: nothing is routed to the dead member's id any more.
      List<String> failuresWhileStopped = publishers.failedSentAfter(droppedAt);

      // Heal.
      long topAtCont = publishers.top();
      signal("CONT", victim);
      long continuedAt = System.currentTimeMillis();
      cluster.awaitMembers(List.of(0, 1, 2), Duration.ofSeconds(30));
      long rejoinedMs = System.currentTimeMillis() - continuedAt;
      long bothWaysMs = awaitBothWays(vertx, ch, cluster.node(victimIndex).port(), cluster.node(0).port(), continuedAt);
      out.remove(victim.port());
      RollingRestartTest.awaitTop(publishers, publishers.top() + 200);
      publishers.stop();
      List<String> idsAfter = cluster.awaitCluster(Duration.ofSeconds(10));
      System.out.println("PARTITION: heartbeat timeout " + HEARTBEAT_S + " s, presence TTL " + PRESENCE_TTL_S
          + " s; frozen owner dropped from the others' view after " + droppedMs + " ms; publications sent after the stop were answered "
          + flowAgainMs + " ms after it; its presence gone after " + presenceGoneMs + " ms; "
          + failuresWhileStopped + " failed publishes sent after both live nodes dropped it (at "
          + droppedAt % 100000 + "); after SIGCONT the cluster had 3 members after "
          + rejoinedMs + " ms, publications both ways through the healed node after " + bothWaysMs + " ms; ids "
          + ids + " -> " + idsAfter + "; " + publishers.summary() + "; top at stop " + topAtStop + ", at continue "
          + topAtCont);

      assertTrue(flowAgainMs <= (HEARTBEAT_S + 10) * 1000L,
          "publications to the frozen node's channel flow again within 10 s of the heartbeat timeout: " + flowAgainMs);
      assertEquals(List.of(), failuresWhileStopped, "no publication fails once the channel has moved");
      assertTrue(presenceGoneMs <= (PRESENCE_TTL_S + 3) * 1000L,
          "the frozen node's presence is gone within the TTL: " + presenceGoneMs + " ms");
      assertTrue(bothWaysMs <= 10_000, "publications flow both ways within 10 s of the heal: " + bothWaysMs);
      awaitPresence(live, ch, subscribers.size(), Duration.ofSeconds(30));
      ProcessCluster.assertComplete(subscribers, publishers, Duration.ofSeconds(90));
    } finally {
      subscribers.forEach(Subscriber::stopRunning);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static long[] awaitFirstAckedSentAfter(ProcessCluster.Publishers publishers, long since)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    long[] first;
    while ((first = publishers.firstAckedSentAfter(since)) == null) {
      assertTrue(System.currentTimeMillis() < deadline, "no publication sent after the stop was acknowledged: "
          + publishers.summary());
      Thread.sleep(50); // polling what the publisher threads record
    }
    return first;
  }

  private static void signal(String name, NodeProcess node) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(node.process().pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + name);
  }

  /**
   * Until the deadline (10 s after {@code since}, plus slack to report the figure), subscribes a
   * client on each of the two nodes and checks that a publication through either reaches the
   * other's client. Returns the ms from {@code since} until both directions worked.
   */
  private static long awaitBothWays(Vertx vertx, String ch, int healed, int other, long since)
      throws InterruptedException {
    long deadline = since + 30_000;
    AssertionError last = null;
    while (System.currentTimeMillis() < deadline) {
      try (RawClient a = RawClient.open(vertx, healed); RawClient b = RawClient.open(vertx, other)) {
        a.connect(token("probe-a"));
        b.connect(token("probe-b"));
        a.subscribe(ch);
        b.subscribe(ch);
        publishAndAwait(healed, ch, b, -1);
        publishAndAwait(other, ch, a, -2);
        return System.currentTimeMillis() - since;
      } catch (AssertionError | RuntimeException e) {
        last = e instanceof AssertionError ae ? ae : new AssertionError(e);
      }
      Thread.sleep(100); // retrying a failed probe: nothing to await from outside
    }
    throw new AssertionError("publications did not flow both ways through the healed node", last);
  }

  private static void publishAndAwait(int port, String ch, RawClient receiver, int marker) {
    new RawClient.Api(port).result("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"n\":" + marker + "}}");
    receiver.await(m -> RawClient.pub(ch).test(m) && m.get("push").get("pub").get("data").get("n").asInt() == marker,
        Duration.ofSeconds(1));
  }

  private static ObjectNode awaitPresence(RawClient.Api api, String ch, int clients, Duration timeout)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    ObjectNode stats = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        stats = api.result("presence_stats", "{\"channel\":\"" + ch + "\"}");
        if (stats.get("num_clients").asInt() == clients) {
          return stats;
        }
      } catch (AssertionError e) {
        // the node may be busy moving the channel: ask again
      }
      Thread.sleep(100); // polling presence, which changes by expiry: no event to await
    }
    throw new AssertionError("presence of " + ch + " never counted " + clients + " clients: " + stats);
  }
}
