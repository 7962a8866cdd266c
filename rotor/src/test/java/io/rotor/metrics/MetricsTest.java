package io.rotor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    ObjectNode again = a.call("subscribe", "{\"channel\": \"m1\"}");
    assertEquals(105, again.path("error").path("code").asInt(), again.toString());
    ObjectNode noData = api.call("publish", "{\"channel\": \"m1\"}");
    assertEquals(107, noData.path("error").path("code").asInt(), noData.toString());

    String scrape = get(n, "/metrics").body();
    assertEquals(2.0, value(scrape, "centrifugo_node_num_clients"));
    assertEquals(2.0, value(scrape, "centrifugo_node_num_users"));
    assertEquals(2.0, value(scrape, "centrifugo_client_connections_inflight{transport=\"websocket\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_num_channels"));
    assertEquals(2.0, value(scrape, "centrifugo_node_num_subscriptions"));
    assertEquals(1.0, value(scrape, "centrifugo_node_num_nodes"));
    assertEquals(1.0, value(scrape, "centrifugo_node_build{version=\"" + io.rotor.node.Node.VERSION + "\"}"));
    assertTrue(value(scrape, "centrifugo_transport_messages_received") >= 5, scrape);
    assertTrue(value(scrape, "centrifugo_transport_messages_received_size") > 0);
    assertTrue(value(scrape, "centrifugo_transport_messages_sent") >= 5);
    assertTrue(value(scrape, "centrifugo_transport_messages_sent_size") > 0);
    assertEquals(1.0, value(scrape, "centrifugo_client_num_reply_errors{code=\"105\",method=\"subscribe\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_messages_sent_count{type=\"publication\"}"));
    assertEquals(1.0, value(scrape, "rotor_node_publish_duration_seconds_count"));
    assertTrue(value(scrape, "centrifugo_client_command_duration_seconds_count{method=\"subscribe\"}") >= 3);
    assertTrue(scrape.contains("centrifugo_client_command_duration_seconds{method=\"connect\",quantile=\"0.99\"}"),
        "the summary's quantiles");
    assertTrue(scrape.contains("centrifugo_client_command_duration_seconds_histogram_bucket{method=\"connect\""),
        "the histogram's buckets");
    assertTrue(value(scrape, "rotor_node_event_loop_lag_seconds_count") > 0, "event-loop lag is measured");
    assertEquals(2.0, value(scrape, "centrifugo_api_command_duration_seconds_histogram_count{method=\"publish\",protocol=\"http\"}"));
    assertTrue(scrape.contains("centrifugo_api_command_duration_seconds{method=\"publish\",protocol=\"http\",quantile=\"0.5\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_api_command_errors_total{error=\"107\",method=\"publish\",protocol=\"http\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_messages_received_count{type=\"publication\"}"));
    assertEquals(2.0, value(scrape, "centrifugo_transport_connect_count{transport=\"websocket\"}"));

    api.result("unsubscribe", "{\"user\": \"metrics-a\", \"channel\": \"m1\"}");
    a.await(RawClient.push("m1", "unsubscribe"));

    api.result("disconnect", "{\"user\": \"metrics-b\"}");
    b.awaitClose();
    scrape = get(n, "/metrics").body();
    assertEquals(1.0, value(scrape, "centrifugo_client_num_server_disconnects{code=\"3503\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_client_num_server_unsubscribes{code=\"2000\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_num_clients"));
    assertEquals(1.0, value(scrape, "centrifugo_client_connections_inflight{transport=\"websocket\"}"),
        "counted down on unregister");
    for (String name : CENTRIFUGO_DASHBOARD) {
      assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find(), "no " + name + " in\n" + scrape);
    }
    assertTrue(!scrape.contains("\nrotor_node_num_clients") && !scrape.contains("\nrotor_client_disconnects"),
        "no Rotor names left for what Centrifugo names");
    // The Grafana dashboard for the Rotor-only meters queries series this node exposes.
    JsonNode dashboard = new ObjectMapper().readTree(java.nio.file.Path.of("../docs/grafana/rotor-dashboard.json").toFile());
    java.util.Set<String> queried = new java.util.TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher m = Pattern.compile("rotor_[a-z_]+").matcher(target.get("expr").asText());
        while (m.find()) {
          queried.add(m.group());
        }
      }
    }
    assertEquals(7, queried.size(), queried.toString());
    for (String series : queried) {
      assertTrue(Pattern.compile("(?m)^" + series + "[{ ]").matcher(scrape).find(), "dashboard queries " + series + ", not in\n" + scrape);
    }
  }

  /**
   * The series Centrifugo's Grafana dashboard and docs (server/observability) query that Rotor has a
   * meaning for, under Centrifugo's exact names (no _total on its counters).
   */
  static final java.util.List<String> CENTRIFUGO_DASHBOARD = java.util.List.of(
      "centrifugo_node_num_clients", "centrifugo_node_num_users", "centrifugo_node_num_channels",
      "centrifugo_node_num_subscriptions", "centrifugo_node_num_nodes", "centrifugo_node_build",
      "centrifugo_node_messages_sent_count", "centrifugo_client_num_reply_errors",
      "centrifugo_client_num_server_disconnects", "centrifugo_client_command_duration_seconds",
      "centrifugo_client_command_duration_seconds_histogram_bucket", "centrifugo_client_recover",
      "centrifugo_client_connections_inflight", "centrifugo_transport_messages_sent",
      "centrifugo_transport_messages_sent_size", "centrifugo_transport_messages_received",
      "centrifugo_transport_messages_received_size", "centrifugo_transport_connect_count",
      "centrifugo_node_messages_received_count", "centrifugo_client_num_server_unsubscribes",
      "centrifugo_api_command_duration_seconds", "centrifugo_api_command_duration_seconds_histogram_bucket",
      "centrifugo_api_command_errors_total");

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
