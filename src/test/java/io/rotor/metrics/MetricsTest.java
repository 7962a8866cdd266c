package io.rotor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /metrics, /health and /ready on a real node, read over HTTP as Prometheus and a load balancer would. */
class MetricsTest extends SharedNodeTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> get(TestNode n, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertTrue(m.find(), () -> "no series " + series + " in\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void prometheusSeesConnectionsMessagesPublishesAndDisconnects() throws Exception {
    TestNode n = startNode("{\"prometheus\": {\"enabled\": true}}");
    RawClient a = connected(n, "metrics-a");
    RawClient b = connected(n, "metrics-b");
    a.subscribe("m1");
    b.subscribe("m1");
    RawClient.Api api = new RawClient.Api(n.port());
    api.publish("m1", "{\"x\":1}");
    a.await(RawClient.pub("m1"));

    String scrape = get(n, "/metrics").body();
    assertEquals(2.0, value(scrape, "rotor_node_num_clients"));
    assertEquals(2.0, value(scrape, "rotor_client_connections{transport=\"websocket\"}"));
    assertEquals(1.0, value(scrape, "rotor_node_num_channels"));
    assertEquals(2.0, value(scrape, "rotor_node_num_subscriptions"));
    assertTrue(value(scrape, "rotor_transport_messages_received_total") >= 4, scrape);
    assertTrue(value(scrape, "rotor_transport_messages_sent_size_bytes_total") > 0);
    assertEquals(1.0, value(scrape, "rotor_node_publish_duration_seconds_count"));
    assertTrue(value(scrape, "rotor_client_command_duration_seconds_count{method=\"subscribe\"}") >= 2);
    assertTrue(scrape.contains("rotor_client_command_duration_seconds_bucket{method=\"connect\""), "histogram buckets");
    assertTrue(value(scrape, "rotor_node_event_loop_lag_seconds_count") > 0, "event-loop lag is measured");

    api.result("disconnect", "{\"user\": \"metrics-b\"}");
    b.awaitClose();
    scrape = get(n, "/metrics").body();
    assertEquals(1.0, value(scrape, "rotor_client_disconnects_total{code=\"3503\"}"));
    assertEquals(1.0, value(scrape, "rotor_node_num_clients"));
    assertEquals(1.0, value(scrape, "rotor_client_connections{transport=\"websocket\"}"), "counted down on unregister");
  }

  @Test
  void metricsAreOffUnlessEnabled() throws Exception {
    assertEquals(404, get(node, "/metrics").statusCode());
  }

  @Test
  void readinessTurns503WhenShutdownStartsWhileLivenessStaysUp() throws Exception {
    TestNode n = startNode();
    assertEquals(200, get(n, "/health").statusCode());
    assertEquals(200, get(n, "/ready").statusCode());
    RawClient c = connected(n, "ready-user");
    n.server().node().shutdown().await(5, TimeUnit.SECONDS);
    assertEquals(3001, c.awaitClose().code());
    HttpResponse<String> ready = get(n, "/ready");
    assertEquals(503, ready.statusCode());
    assertTrue(ready.body().contains("shutting down"));
    assertEquals(200, get(n, "/health").statusCode());
    // New connections are refused while the node drains.
    AssertionError refused = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> open(n));
    assertTrue(String.valueOf(refused.getCause()).contains("503"), String.valueOf(refused.getCause()));
  }
}
