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
    // RawClient names itself (and no version): Centrifugo OSS labels such a client "unregistered".
    assertEquals(2.0, value(scrape, INFLIGHT + "{" + RAW_CLIENT + "}"));
    assertEquals(2.0, value(scrape, "centrifugo_client_connections_accepted{" + RAW_CLIENT + "}"));
    assertEquals(2.0, value(scrape, SUBS_INFLIGHT + "{channel_namespace=\"\",client_name=\"unregistered\"}"));
    assertEquals(0.0, value(scrape, INFLIGHT
        + "{accept_protocol=\"\",client_name=\"unnamed\",client_version=\"unversioned\",transport=\"sse\"}"),
        "present at 0 before any client");
    assertEquals(1.0, value(scrape, "centrifugo_node_num_channels"));
    assertEquals(2.0, value(scrape, "centrifugo_node_num_subscriptions"));
    assertEquals(1.0, value(scrape, "centrifugo_node_num_nodes"));
    assertEquals(1.0, value(scrape, "centrifugo_node_build{version=\"" + io.rotor.node.Node.VERSION + "\"}"));
    assertTrue(value(scrape, "centrifugo_transport_messages_received{transport=\"websocket\"}") >= 5, scrape);
    assertTrue(value(scrape, "centrifugo_transport_messages_received_size{transport=\"websocket\"}") > 0);
    assertTrue(value(scrape, "centrifugo_transport_messages_sent{transport=\"websocket\"}") >= 5);
    assertTrue(value(scrape, "centrifugo_transport_messages_sent_size{transport=\"websocket\"}") > 0);
    // channel_namespace is Centrifugo's label, empty as in Centrifugo OSS without namespace resolution.
    assertEquals(1.0, value(scrape,
        "centrifugo_client_num_reply_errors{channel_namespace=\"\",code=\"105\",method=\"subscribe\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_messages_sent_count{channel_namespace=\"\",type=\"publication\"}"));
    assertEquals(1.0, value(scrape, "rotor_node_publish_duration_seconds_count"));
    assertTrue(value(scrape,
        "centrifugo_client_command_duration_seconds_count{channel_namespace=\"\",method=\"subscribe\"}") >= 3);
    assertTrue(scrape.contains(
        "centrifugo_client_command_duration_seconds{channel_namespace=\"\",method=\"connect\",quantile=\"0.99\"}"),
        "the summary's quantiles");
    assertTrue(scrape.contains(
        "centrifugo_client_command_duration_seconds_histogram_bucket{channel_namespace=\"\",method=\"connect\",le=\"2.5\"}"),
        "the histogram's buckets are Centrifugo's");
    assertTrue(value(scrape, "rotor_node_event_loop_lag_seconds_count") > 0, "event-loop lag is measured");
    assertEquals(2.0, value(scrape, "centrifugo_api_command_duration_seconds_histogram_count{method=\"publish\",protocol=\"http\"}"));
    assertTrue(scrape.contains("centrifugo_api_command_duration_seconds{method=\"publish\",protocol=\"http\",quantile=\"0.5\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_api_command_errors_total{error=\"107\",method=\"publish\",protocol=\"http\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_messages_received_count{channel_namespace=\"\",type=\"publication\"}"));
    assertEquals(2.0, value(scrape, "centrifugo_transport_connect_count{transport=\"websocket\"}"));

    api.result("unsubscribe", "{\"user\": \"metrics-a\", \"channel\": \"m1\"}");
    a.await(RawClient.push("m1", "unsubscribe"));

    api.result("disconnect", "{\"user\": \"metrics-b\"}");
    b.awaitClose();
    scrape = get(n, "/metrics").body();
    assertEquals(1.0, value(scrape, "centrifugo_client_num_server_disconnects{code=\"3503\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_client_num_server_unsubscribes{channel_namespace=\"\",code=\"2000\"}"));
    // Centrifugo's node actions for what happened: two clients connected to m1 (history and presence
    // on: each subscribe reads the stream top and adds presence), one unsubscribed, one disconnected.
    java.util.Map<String, Double> actions = new java.util.TreeMap<>(java.util.Map.of("add_client", 2.0, "remove_client", 1.0,
        "add_subscription", 2.0, "remove_subscription", 2.0, "broker_subscribe", 1.0, "broker_unsubscribe", 1.0,
        "history", 2.0, "history_stream_top", 2.0, "add_presence", 2.0, "remove_presence", 2.0));
    java.util.Map<String, Double> counted = new java.util.TreeMap<>();
    Matcher am = Pattern.compile("(?m)^centrifugo_node_action_count\\{action=\"([a-z_]+)\",channel_namespace=\"\"} ([0-9.]+)$")
        .matcher(scrape);
    while (am.find()) {
      counted.put(am.group(1), Double.parseDouble(am.group(2)));
    }
    assertEquals(actions, counted, scrape);
    assertEquals(1.0, value(scrape, "centrifugo_node_num_clients"));
    assertEquals(1.0, value(scrape, INFLIGHT + "{" + RAW_CLIENT + "}"), "counted down on unregister");
    assertEquals(0.0, value(scrape, SUBS_INFLIGHT + "{channel_namespace=\"\",client_name=\"unregistered\"}"),
        "one unsubscribed by the API, the other's subscription ended with its connection");
    assertEquals(2.0, value(scrape, "centrifugo_client_connections_accepted{" + RAW_CLIENT + "}"));
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

  private static final String INFLIGHT = "centrifugo_client_connections_inflight";
  private static final String SUBS_INFLIGHT = "centrifugo_client_subscriptions_inflight";
  private static final String RAW_CLIENT =
      "accept_protocol=\"\",client_name=\"unregistered\",client_version=\"unversioned\",transport=\"websocket\"";

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
      "centrifugo_api_command_errors_total", "centrifugo_node_action_count",
      "centrifugo_client_connections_accepted", "centrifugo_client_subscriptions_inflight");

  @Test
  void aClientsPingPongRoundTripsAreInCentrifugosHistogram() throws Exception {
    TestNode n = startNode("{\"prometheus\": {\"enabled\": true},"
        + " \"client\": {\"ping_interval\": \"1s\", \"pong_timeout\": \"900ms\"}}");
    String count = "centrifugo_client_ping_pong_duration_seconds_count{transport=\"websocket\"}";
    RawClient c = connected(n, "pinger").autoPong(true);
    c.await(RawClient::isPing, java.time.Duration.ofSeconds(5));
    c.await(RawClient::isPing, java.time.Duration.ofSeconds(5));
    // Two pings reached the client and it answered each: the node measures each pong as it arrives.
    io.rotor.testing.Await.until("two ping/pong round trips measured", 5000,
        () -> series(scrape(n), count) >= 2);
    String scrape = get(n, "/metrics").body();
    double measured = value(scrape, count);
    assertEquals(measured,
        value(scrape, "centrifugo_client_ping_pong_duration_seconds_bucket{transport=\"websocket\",le=\"+Inf\"}"));
    // Centrifugo's buckets; a loopback round trip answered at once is well under the pong timeout.
    assertEquals(measured,
        value(scrape, "centrifugo_client_ping_pong_duration_seconds_bucket{transport=\"websocket\",le=\"0.5\"}"),
        () -> scrape.lines().filter(l -> l.contains("ping_pong")).collect(java.util.stream.Collectors.joining("\n")));
    assertTrue(scrape.contains("centrifugo_client_ping_pong_duration_seconds_bucket{transport=\"websocket\",le=\"2.5E-4\"}")
        || scrape.contains("centrifugo_client_ping_pong_duration_seconds_bucket{transport=\"websocket\",le=\"0.00025\"}"),
        scrape);
    assertTrue(value(scrape, "centrifugo_client_ping_pong_duration_seconds_sum{transport=\"websocket\"}") > 0);
    assertTrue(!c.isClosed(), "pongs in time: no 3012");
  }

  private static String scrape(TestNode n) {
    try {
      return get(n, "/metrics").body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A series' value, or -1 while it is absent. */
  private static double series(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void theLivenessProbesOwnPublicationsAreNotCountedAsTheNodes() throws Exception {
    TestNode n = startNode("{\"prometheus\": {\"enabled\": true},"
        + " \"health\": {\"liveness_probe_interval\": \"100ms\", \"liveness_probe_timeout\": \"2s\"}}");
    io.rotor.node.Node node = n.server().node();
    NodeHistory charts = new NodeHistory(node.metrics().registry(), null, System::currentTimeMillis, System::nanoTime);
    // Three probes went through the node's publish path and came back.
    long[] seen = {0};
    for (int i = 0; i < 3; i++) {
      io.rotor.testing.Await.until("a liveness probe succeeded", 5000, () -> {
        long at = node.livenessStatus().getLong("last_success_at");
        if (at > seen[0]) {
          seen[0] = at;
          return true;
        }
        return false;
      });
    }
    charts.sample();
    assertEquals(0, charts.samples().get(0).publications(), "the charts count no probe publication");
    String scrape = get(n, "/metrics").body();
    assertEquals(0.0, value(scrape, "centrifugo_node_messages_sent_count{channel_namespace=\"\",type=\"publication\"}"));
    assertTrue(!scrape.contains("centrifugo_node_messages_received_count{channel_namespace=\"\",type=\"publication\"}"),
        "the probe's publications coming back are not counted as received either");
    assertTrue(!scrape.contains("action=\"broker_subscribe\""), "nor the probe channel's broker subscription");

    // What a client or the API publishes is counted, and charted.
    RawClient c = connected(n, "probe-watcher");
    c.subscribe("probe-metrics");
    new RawClient.Api(n.port()).publish("probe-metrics", "{\"x\":1}");
    c.await(RawClient.pub("probe-metrics"));
    charts.sample();
    assertEquals(1, charts.samples().get(1).publications());
    scrape = get(n, "/metrics").body();
    assertEquals(1.0, value(scrape, "centrifugo_node_messages_sent_count{channel_namespace=\"\",type=\"publication\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_messages_received_count{channel_namespace=\"\",type=\"publication\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_action_count{action=\"broker_subscribe\",channel_namespace=\"\"}"));
  }

  @Test
  void channelNamespaceResolutionLabelsChannelMetersWithConfiguredNamespacesOnly() throws Exception {
    TestNode n = startNode("{\"prometheus\": {\"enabled\": true, \"channel_namespace_resolution\": true}}");
    RawClient c = connected(n, "ns-user");
    c.subscribe("small:room");
    c.subscribe("lobby");
    ObjectNode unknown = c.call("subscribe", "{\"channel\": \"nosuch:room\"}");
    assertEquals(102, unknown.path("error").path("code").asInt(), unknown.toString());
    String scrape = get(n, "/metrics").body();
    assertEquals(1.0, value(scrape, "centrifugo_node_action_count{action=\"add_subscription\",channel_namespace=\"small\"}"));
    assertEquals(1.0, value(scrape, "centrifugo_node_action_count{action=\"add_subscription\",channel_namespace=\"\"}"));
    assertEquals(1.0, value(scrape, SUBS_INFLIGHT + "{channel_namespace=\"small\",client_name=\"unregistered\"}"));
    assertEquals(1.0, value(scrape, SUBS_INFLIGHT + "{channel_namespace=\"\",client_name=\"unregistered\"}"));
    assertEquals(1.0, value(scrape,
        "centrifugo_client_command_duration_seconds_count{channel_namespace=\"small\",method=\"subscribe\"}"));
    // A namespace a client made up is not a label value: the error counts without one.
    assertEquals(1.0, value(scrape,
        "centrifugo_client_num_reply_errors{channel_namespace=\"\",code=\"102\",method=\"subscribe\"}"));
    assertTrue(!scrape.contains("nosuch"), scrape);

    // A client that sends a version but no name: "unnamed", and its version "unregistered".
    RawClient versioned = open(n);
    ObjectNode reply = versioned.call("connect", "{\"version\": \"9.9.9-not-a-label\"}");
    assertTrue(reply.has("connect"), reply.toString());
    scrape = get(n, "/metrics").body();
    assertEquals(1.0, value(scrape, INFLIGHT
        + "{accept_protocol=\"\",client_name=\"unnamed\",client_version=\"unregistered\",transport=\"websocket\"}"));
    assertTrue(!scrape.contains("9.9.9"), "a client's version is no label value");
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
