package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.e2e.NodeScript;
import io.rotor.testing.Nginx;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.rotor.transport.sockjs.SockJsSessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP transports without sticky sessions: two nodes behind a round-robin nginx, so a client's
 * requests land on both. The real centrifuge-js over http_stream / sse (whose {@code /emulation}
 * posts name the stream's node) and over SockJS xhr-polling / xhr-streaming (whose sends and polls
 * are proxied to the node holding the session) receives every publication in order, publishes,
 * reads presence, reconnects and gets a terminal disconnect code (src/test/node/scenarios/transport.mjs).
 * Each run also proves the requests did cross nodes: the nodes' routing counters must grow.
 */
class SessionRoutingTest {

  static final String CONFIG = "{\"sockjs\": {\"enabled\": true, \"max_bytes_streaming\": 2048},"
      + " \"http_stream\": {\"enabled\": true}, \"sse\": {\"enabled\": true}}";
  static TestCluster cluster;
  static Nginx nginx;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    // A small max_bytes_streaming makes xhr-streaming re-open its receiving request often, so
    // re-opens land on the node that does not hold the session too.
    cluster = TestCluster.start(2, null, CONFIG);
    nginx = Nginx.roundRobin(cluster.nodes().stream().map(TestNode::port).toList());
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http_stream", "sse"})
  void emulationPostsReachTheStreamsNode(String transport) throws Exception {
    long before = sent("emulation");
    run(transport, transport);
    assertTrue(sent("emulation") > before, "no /emulation request crossed nodes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xhr-polling", "xhr-streaming"})
  void sockJsRequestsReachTheSessionsNode(String transport) throws Exception {
    long before = forwarded();
    run("sockjs:" + transport, "sockjs-" + transport);
    assertTrue(forwarded() > before, "no SockJS request was proxied to the session's node");
  }

  @Test
  void emulationForAnUnknownSessionOrNodeIs404() throws Exception {
    TestNode a = cluster.node(0);
    TestNode b = cluster.node(1);
    assertEquals(404, emulation(b, a.server().nodeId(), "no-such-session"));
    assertEquals(404, emulation(b, "no-such-node", "no-such-session"));
    assertEquals(404, emulation(a, a.server().nodeId(), "no-such-session"));
  }

  @Test
  void aSockJsSendForAnUnknownSessionIs404OnEveryNode() throws Exception {
    for (TestNode n : cluster.nodes()) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + n.port() + "/connection/sockjs/000/nobody/xhr_send"))
          .POST(HttpRequest.BodyPublishers.ofString("[\"{}\"]")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
    }
  }

  private static void run(String transports, String expected) throws Exception {
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

  private static long sent(String op) {
    return cluster.nodes().stream().mapToLong(n -> n.server().mesh().sentCounts().getOrDefault(op, 0L)).sum();
  }

  private static long forwarded() {
    return cluster.nodes().stream()
        .mapToLong(n -> n.server().sessions().sockJs().forwarded()).sum();
  }
}
