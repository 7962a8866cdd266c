package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.e2e.NodeScript;
import io.rotor.testing.Nginx;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.rotor.testing.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The HTTP transports without sticky sessions: two nodes behind a round-robin nginx, so a client's
 * requests land on both. The real centrifuge-js over http_stream / sse (whose {@code /emulation}
 * posts name the stream's node) and over SockJS xhr-polling / xhr-streaming (whose sends and polls
 * are proxied to the node holding the session) receives every publication in order, publishes,
 * reads presence, reconnects and gets a terminal disconnect code (src/test/node/scenarios/transport.mjs).
 * Each run also proves the requests did cross nodes: the nodes' routing counters must grow.
 *
 * <p>On every {@link Topology}: the requests for another node's session travel over the event bus
 * (Hazelcast) or between nodes through Redis (the Redis broker on one Redis, Sentinel or a Redis
 * Cluster, and NATS, whose nodes find each other through Redis too).
 */
class SessionRoutingTest {

  // A small max_bytes_streaming makes xhr-streaming re-open its receiving request often, so
  // re-opens land on the node that does not hold the session too.
  static final String CONFIG = "{\"sockjs\": {\"enabled\": true, \"max_bytes_streaming\": 2048},"
      + " \"http_stream\": {\"enabled\": true}, \"sse\": {\"enabled\": true}}";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestCluster cluster;
  private Nginx nginx;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Topology.class, names = {"HAZELCAST", "REDIS", "NATS"})
  void sessionsAreReachableBehindRoundRobin(Topology topology) throws Exception {
    routeBehindRoundRobin(topology);
  }

  /**
   * Sentinel and Redis Cluster: the Redis broker's requests between nodes again, through more Redis
   * processes (~10 s each to start here), so in the slow suite (scripts/test-slow.sh).
   */
  @Tag("slow")
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Topology.class, names = {"SENTINEL", "REDIS_CLUSTER"})
  void sessionsAreReachableBehindRoundRobinOnRedisHa(Topology topology) throws Exception {
    routeBehindRoundRobin(topology);
  }

  private void routeBehindRoundRobin(Topology topology) throws Exception {
    try (Topology.Backends backends = topology.start()) {
      cluster = TestCluster.on(backends, 2, CONFIG);
      try {
        nginx = Nginx.roundRobin(cluster.nodes().stream().map(TestNode::port).toList());
        // Every scenario runs and reports, so one failing transport does not hide another's state.
        assertAll(
            () -> emulationPostsReachTheStreamsNode("http_stream"),
            () -> emulationPostsReachTheStreamsNode("sse"),
            () -> sockJsRequestsReachTheSessionsNode("xhr-polling"),
            () -> sockJsRequestsReachTheSessionsNode("xhr-streaming"),
            this::emulationForAnUnknownSessionOrNodeIs404,
            this::aSockJsSendForAnUnknownSessionIs404OnEveryNode);
      } finally {
        if (nginx != null) {
          nginx.close();
        }
        cluster.close();
      }
    }
  }

  private void emulationPostsReachTheStreamsNode(String transport) throws Exception {
    long before = sent("emulation");
    run(transport, transport);
    assertTrue(sent("emulation") > before, transport + ": no /emulation request crossed nodes");
  }

  private void sockJsRequestsReachTheSessionsNode(String transport) throws Exception {
    long before = forwarded();
    run("sockjs:" + transport, "sockjs-" + transport);
    assertTrue(forwarded() > before, transport + ": no SockJS request was proxied to the session's node");
  }

  private void emulationForAnUnknownSessionOrNodeIs404() throws Exception {
    TestNode a = cluster.node(0);
    TestNode b = cluster.node(1);
    assertEquals(404, emulation(b, a.server().nodeId(), "no-such-session"));
    assertEquals(404, emulation(b, "no-such-node", "no-such-session"));
    assertEquals(404, emulation(a, a.server().nodeId(), "no-such-session"));
  }

  private void aSockJsSendForAnUnknownSessionIs404OnEveryNode() throws Exception {
    for (TestNode n : cluster.nodes()) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + n.port() + "/connection/sockjs/000/nobody/xhr_send"))
          .POST(HttpRequest.BodyPublishers.ofString("[\"{}\"]")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
    }
  }

  private void run(String transports, String expected) throws Exception {
    NodeScript.Result r = NodeScript.run("transport", Map.of(
        "ROTOR_PORT", String.valueOf(nginx.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_TRANSPORTS", transports,
        "ROTOR_EXPECT", expected,
        "ROTOR_BROKEN", ""), 90);
    assertEquals(0, r.exitCode(), () -> "transport scenario " + transports + " through round-robin nginx failed:\n"
        + r.output() + "\nnginx:\n" + nginx.log());
  }

  private static int emulation(TestNode to, String node, String session) throws Exception {
    String body = "{\"node\":\"" + node + "\",\"session\":\"" + session + "\",\"data\":\"{\\\"id\\\":1}\"}";
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + "/emulation"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private long sent(String op) {
    return cluster.nodes().stream().mapToLong(n -> n.server().mesh().sentCounts().getOrDefault(op, 0L)).sum();
  }

  private long forwarded() {
    return cluster.nodes().stream()
        .mapToLong(n -> n.server().sessions().sockJs().forwarded()).sum();
  }
}
