package io.rotor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * Rotor's own meters (names after Centrifugo's, prefixed {@code rotor_}), in the Prometheus registry
 * it is given: the one Vert.x reports into when the process created Vert.x with {@link #vertxMetrics},
 * else one of its own. Built once where the server is assembled and handed to the node. Counters
 * and timers are Micrometer's lock-free ones: safe to record from every event loop.
 */
public final class RotorMetrics {

  private final PrometheusMeterRegistry registry;
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter queueOverflows;
  private final Counter recovered;
  private final Counter notRecovered;
  private final Counter recoveredPublications;
  private final Timer publishTimer;
  private final Map<String, Timer> commandTimers = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> disconnects = new ConcurrentHashMap<>();
  private final Map<String, Timer> proxyTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> proxyErrors = new ConcurrentHashMap<>();

  public RotorMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    messagesIn = Counter.builder("rotor_transport_messages_received").description("client commands received").register(registry);
    messagesOut = Counter.builder("rotor_transport_messages_sent").description("frames written to clients").register(registry);
    bytesIn = Counter.builder("rotor_transport_messages_received_size").baseUnit("bytes").register(registry);
    bytesOut = Counter.builder("rotor_transport_messages_sent_size").baseUnit("bytes").register(registry);
    queueOverflows = Counter.builder("rotor_client_queue_overflows").description("clients disconnected as slow").register(registry);
    recovered = Counter.builder("rotor_client_recover").tag("recovered", "yes").register(registry);
    notRecovered = Counter.builder("rotor_client_recover").tag("recovered", "no").register(registry);
    recoveredPublications = Counter.builder("rotor_client_recovered_publications").register(registry);
    publishTimer = Timer.builder("rotor_node_publish_duration_seconds").publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
  }

  /** A registry for a Vert.x instance about to be created; pass the result to the Vert.x builder. */
  public static io.vertx.micrometer.MicrometerMetricsFactory vertxMetrics(PrometheusMeterRegistry registry) {
    return new io.vertx.micrometer.MicrometerMetricsFactory(registry);
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** The node's gauges, read from the node at each scrape (the node passes its own counts). */
  public void nodeGauges(IntSupplier clients, IntSupplier users, IntSupplier channels, IntSupplier subscriptions,
      ToIntFunction<String> clientsPerTransport) {
    gauge("rotor_node_num_clients", clients);
    gauge("rotor_node_num_users", users);
    gauge("rotor_node_num_channels", channels);
    gauge("rotor_node_num_subscriptions", subscriptions);
    gauge("rotor_node_num_nodes", () -> 1);
    for (String transport : new String[] {"websocket", "sockjs", "http_stream", "sse", "uni_websocket", "uni_sse",
        "uni_http_stream", "uni_grpc"}) {
      Gauge.builder("rotor_client_connections", () -> clientsPerTransport.applyAsInt(transport))
          .tag("transport", transport).register(registry);
    }
  }

  private void gauge(String name, IntSupplier f) {
    Gauge.builder(name, f::getAsInt).register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void received(int commands, int bytes) {
    messagesIn.increment(commands);
    bytesIn.increment(bytes);
  }

  public void sent(int bytes) {
    messagesOut.increment();
    bytesOut.increment(bytes);
  }

  public void disconnected(int code) {
    disconnects.computeIfAbsent(code, c -> Counter.builder("rotor_client_disconnects")
        .tag("code", Integer.toString(c)).register(registry)).increment();
    if (code == 3008) {
      queueOverflows.increment();
    }
  }

  public void command(String type, long nanos) {
    commandTimers.computeIfAbsent(type, t -> Timer.builder("rotor_client_command_duration_seconds")
        .tag("method", t).publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void published(long nanos) {
    publishTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void recovery(boolean ok, int publications) {
    (ok ? recovered : notRecovered).increment();
    recoveredPublications.increment(publications);
  }

  public void proxy(String kind, long nanos, boolean failed) {
    proxyTimers.computeIfAbsent(kind, k -> Timer.builder("rotor_proxy_duration_seconds").tag("type", k)
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(10)).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      proxyErrors.computeIfAbsent(kind, k -> Counter.builder("rotor_proxy_errors").tag("type", k)
          .register(registry)).increment();
    }
  }

  /** For tests and the admin UI. */
  public MeterRegistry meters() {
    return registry;
  }
}
