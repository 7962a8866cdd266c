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
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import io.rotor.protocol.Command;

/**
 * Rotor's own meters, in the Prometheus registry it is given: the one Vert.x reports into when the
 * process created Vert.x with {@link #vertxMetrics}, else one of its own. Built once where the server
 * is assembled and handed to the node. Where Centrifugo has a metric for the same thing, the
 * meter has Centrifugo's name and labels ({@code centrifugo_node_num_clients},
 * {@code centrifugo_client_num_reply_errors{method,code}}, ...), so Centrifugo's Grafana dashboard and
 * alert rules work; meters only Rotor has keep the {@code rotor_} prefix. Centrifugo's counters have
 * no {@code _total} suffix (Go's client writes none), which a Java Prometheus counter always gets:
 * they are {@link MonotonicCounts}, monotonic values exposed under the exact name. Everything is
 * lock-free: safe to record from every event loop.
 *
 * <p>Label sets are Centrifugo v6's (its centrifuge library's {@code metrics.go}), including
 * {@code channel_namespace} where it has one. Centrifugo OSS always writes that label empty; with
 * {@code prometheus.channel_namespace_resolution} (a Centrifugo PRO option) it holds the channel's
 * configured namespace, a bounded set: see {@link #channelNamespaces}.
 */
public final class RotorMetrics {

  /** Publications through this node (Centrifugo's name), counted by {@code type}. */
  static final String MESSAGES_SENT = "centrifugo_node_messages_sent_count";
  /** Publications handed to this node's subscribers, one per subscriber (Rotor's own). */
  static final String DELIVERIES = "rotor_node_publications_delivered";
  /** Node actions (Centrifugo's name), counted by {@code action} and {@code channel_namespace}. */
  static final String ACTIONS = "centrifugo_node_action_count";
  /** Buckets of Centrifugo's client command and ping/pong histograms, in seconds. */
  private static final double[] CLIENT_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      0.5, 1, 2.5, 5, 10};
  /** The Go Prometheus client's default buckets, which Centrifugo's API histogram uses. */
  private static final double[] PROMETHEUS_DEFAULT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final MeterRegistry registry;
  private final Counter deliveries;
  /** How many nodes the cluster has now, as this node sees it; 1 without a cluster. */
  private volatile IntSupplier clusterSize = () -> 1;
  private final MonotonicCounts counts;
  private final Counter queueOverflows;
  private final Counter recoveredPublications;
  private final Timer publishTimer;
  private final Map<String, Timer> commandTimers = new ConcurrentHashMap<>();
  private final Histograms commandHistograms;
  private final Map<String, Timer> proxyTimers = new ConcurrentHashMap<>();
  private final Map<String, Timer> apiTimers = new ConcurrentHashMap<>();
  private final Histograms apiHistograms;
  private final Histograms pingPong;
  private final Map<String, AtomicInteger> inflight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> subscriptionsInflight = new ConcurrentHashMap<>();
  /** Channel to its {@code channel_namespace} label: always "" unless resolution is on. */
  private volatile Function<String, String> channelNamespace = channel -> "";

  /** Any Micrometer registry: an embedding host's own, or a Prometheus one ({@code /metrics} needs that kind). */
  public RotorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.counts = new MonotonicCounts(registry);
    // Present from the start, at 0, so dashboards and alert rules see them before the first event.
    counts.add("centrifugo_client_recover", 0, "channel_namespace", "", "has_recovered_publications", "no",
        "recovered", "yes");
    counts.add("centrifugo_client_recover", 0, "channel_namespace", "", "has_recovered_publications", "no",
        "recovered", "no");
    counts.add(MESSAGES_SENT, 0, "channel_namespace", "", "type", "publication");
    deliveries = Counter.builder(DELIVERIES).description("publications handed to subscribers of this node").register(registry);
    queueOverflows = Counter.builder("rotor_client_queue_overflows").description("clients disconnected as slow").register(registry);
    recoveredPublications = Counter.builder("rotor_client_recovered_publications").register(registry);
    publishTimer = Timer.builder("rotor_node_publish_duration_seconds").publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
    commandHistograms = new Histograms(registry, "centrifugo_client_command_duration_seconds_histogram",
        "Client command duration histogram.", CLIENT_BUCKETS, "channel_namespace", "method");
    apiHistograms = new Histograms(registry, "centrifugo_api_command_duration_seconds_histogram",
        "Server API command duration histogram.", PROMETHEUS_DEFAULT_BUCKETS, "method", "protocol");
    pingPong = new Histograms(registry, "centrifugo_client_ping_pong_duration_seconds", "Ping/Pong duration in seconds",
        CLIENT_BUCKETS, "transport");
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
      String version) {
    gauge("centrifugo_node_num_clients", clients);
    gauge("centrifugo_node_num_users", users);
    gauge("centrifugo_node_num_channels", channels);
    gauge("centrifugo_node_num_subscriptions", subscriptions);
    gauge("centrifugo_node_num_nodes", () -> clusterSize.getAsInt());
    gauge("centrifugo_node_build", () -> 1, "version", version);
    // Present from the start, at 0, for clients that name neither themselves nor their version.
    for (String transport : new String[] {"websocket", "sockjs", "http_stream", "sse", "uni_websocket", "uni_sse",
        "uni_http_stream", "uni_grpc"}) {
      inflight(transport, clientLabels("", ""));
    }
  }

  /**
   * The {@code client_name} and {@code client_version} labels of a client that sent {@code name} and
   * {@code version} in its connect command, as Centrifugo OSS sets them: "unnamed" / "unversioned"
   * when empty, else "unregistered" (Centrifugo uses a reported value only when registered, which
   * its OSS edition has no option for), so clients cannot grow the label's values.
   */
  public ClientLabels clientLabels(String name, String version) {
    return new ClientLabels(name == null || name.isEmpty() ? "unnamed" : "unregistered",
        version == null || version.isEmpty() ? "unversioned" : "unregistered");
  }

  /** A connection's {@code client_name} and {@code client_version} label values. */
  public record ClientLabels(String name, String version) {
  }

  /** A client connected over {@code transport}: Centrifugo's accepted count and in-flight gauge. */
  public void connectionOpened(String transport, ClientLabels labels) {
    counts.add("centrifugo_client_connections_accepted", 1, "accept_protocol", "", "client_name", labels.name(),
        "client_version", labels.version(), "transport", transport);
    inflight(transport, labels).incrementAndGet();
  }

  /**
   * A client subscribed to {@code channel} ({@code centrifugo_client_subscriptions_inflight}, by
   * {@code client_name} and {@code channel_namespace}). Centrifugo also declares
   * {@code centrifugo_client_subscriptions_accepted} but never counts it, so it shows no series there
   * and is not here.
   */
  public void subscriptionOpened(ClientLabels client, String channel) {
    subscriptionsInflight(client, ns(channel)).incrementAndGet();
  }

  /** The subscription ended (unsubscribed, or the client went away). */
  public void subscriptionClosed(ClientLabels client, String channel) {
    subscriptionsInflight(client, ns(channel)).decrementAndGet();
  }

  private AtomicInteger subscriptionsInflight(ClientLabels client, String namespace) {
    String key = client.name() + "\u0000" + namespace;
    AtomicInteger n = subscriptionsInflight.get(key);
    if (n == null) {
      n = subscriptionsInflight.computeIfAbsent(key, k -> {
        AtomicInteger a = new AtomicInteger();
        Gauge.builder("centrifugo_client_subscriptions_inflight", a, AtomicInteger::get).tags("channel_namespace",
            namespace, "client_name", client.name()).strongReference(true).register(registry);
        return a;
      });
    }
    return n;
  }

  /** A connected client went away. */
  public void connectionClosed(String transport, ClientLabels labels) {
    inflight(transport, labels).decrementAndGet();
  }

  /**
   * {@code centrifugo_client_connections_inflight}; {@code accept_protocol} is empty as in Centrifugo
   * OSS (its PRO edition can fill it in).
   */
  private AtomicInteger inflight(String transport, ClientLabels labels) {
    String key = transport + "\u0000" + labels.name() + "\u0000" + labels.version();
    AtomicInteger n = inflight.get(key);
    if (n == null) {
      n = inflight.computeIfAbsent(key, k -> {
        AtomicInteger a = new AtomicInteger();
        Gauge.builder("centrifugo_client_connections_inflight", a, AtomicInteger::get).tags("accept_protocol", "",
            "client_name", labels.name(), "client_version", labels.version(), "transport", transport)
            .strongReference(true).register(registry);
        return a;
      });
    }
    return n;
  }

  /**
   * {@code prometheus.channel_namespace_resolution}: {@code namespaceOf} gives a channel's configured
   * namespace ("" without one, or for a name no namespace matches), so the label takes only the
   * config's namespace names, never a value a client chose.
   */
  public void channelNamespaces(Function<String, String> namespaceOf) {
    this.channelNamespace = channel -> channel == null || channel.isEmpty() ? "" : namespaceOf.apply(channel);
  }

  private String ns(String channel) {
    return channelNamespace.apply(channel);
  }

  /** In a cluster: the number of nodes it has now ({@code centrifugo_node_num_nodes}). */
  public void clusterSize(IntSupplier nodes) {
    this.clusterSize = nodes;
  }

  private void gauge(String name, IntSupplier f, String... tags) {
    Gauge.builder(name, f::getAsInt).tags(tags).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** {@code commands} commands in {@code bytes} read from one client over {@code transport}. */
  public void received(String transport, int commands, int bytes) {
    counts.add("centrifugo_transport_messages_received", commands, "transport", transport);
    counts.add("centrifugo_transport_messages_received_size", bytes, "transport", transport);
  }

  /** {@code messages} replies and pushes written to one client at once over {@code transport}, {@code bytes} in all. */
  public void sent(String transport, int messages, int bytes) {
    counts.add("centrifugo_transport_messages_sent", messages, "transport", transport);
    counts.add("centrifugo_transport_messages_sent_size", bytes, "transport", transport);
  }

  /**
   * One of the node actions Centrifugo counts ({@code add_client}, {@code add_subscription},
   * {@code broker_subscribe}, {@code history}, {@code add_presence}, ...); {@code channel} may be null.
   */
  public void action(String action, String channel) {
    counts.add(ACTIONS, 1, "action", action, "channel_namespace", ns(channel));
  }

  /**
   * A pong {@code nanos} after its ping, on a bidirectional connection over {@code transport}:
   * Centrifugo's histogram (its client command buckets).
   */
  public void pingPong(String transport, long nanos) {
    pingPong.with(transport).observe(nanos);
  }

  public void disconnected(int code) {
    counts.add("centrifugo_client_num_server_disconnects", 1, "code", Integer.toString(code));
    if (code == 3008) {
      queueOverflows.increment();
    }
  }

  /** An error reply to a client command ({@code code} the error code). */
  public void replyError(Command cmd, int code) {
    counts.add("centrifugo_client_num_reply_errors", 1, "channel_namespace", commandNamespace(cmd), "code",
        Integer.toString(code), "method", method(cmd));
  }

  /**
   * A client command's duration, as Centrifugo's summary ({@code quantile} 0.5, 0.99, 0.999) and
   * histogram ({@code _histogram}, buckets in seconds).
   */
  public void command(Command cmd, long nanos) {
    String ns = commandNamespace(cmd);
    String method = method(cmd);
    summary(commandTimers, "centrifugo_client_command_duration_seconds", nanos, "channel_namespace", ns,
        "method", method);
    commandHistograms.with(ns, method).observe(nanos);
  }

  private static String method(Command cmd) {
    return cmd.type() == null ? "unknown" : cmd.type().key();
  }

  /** The namespace label of the channel a command names (connect, rpc, refresh and send name none). */
  private String commandNamespace(Command cmd) {
    if (cmd.type() == null) {
      return "";
    }
    var pb = cmd.pb();
    String channel = switch (cmd.type()) {
      case SUBSCRIBE -> pb.getSubscribe().getChannel();
      case UNSUBSCRIBE -> pb.getUnsubscribe().getChannel();
      case PUBLISH -> pb.getPublish().getChannel();
      case PRESENCE -> pb.getPresence().getChannel();
      case PRESENCE_STATS -> pb.getPresenceStats().getChannel();
      case HISTORY -> pb.getHistory().getChannel();
      case SUB_REFRESH -> pb.getSubRefresh().getChannel();
      default -> "";
    };
    return ns(channel);
  }

  /**
   * A server API command's duration ({@code protocol}: http, grpc, consuming, event_bus), as Centrifugo's
   * summary and {@code _histogram}; {@code errorCode} &ge; 0 also counts it in
   * {@code centrifugo_api_command_errors_total{protocol,method,error}}.
   */
  public void apiCommand(String protocol, String method, long nanos, int errorCode) {
    summary(apiTimers, "centrifugo_api_command_duration_seconds", nanos, "method", method, "protocol", protocol);
    apiHistograms.with(method, protocol).observe(nanos);
    if (errorCode >= 0) {
      // Centrifugo's name ends in _total, which the Java client appends to a counter itself.
      Counter.builder("centrifugo_api_command_errors").tags("error", Integer.toString(errorCode), "method", method,
          "protocol", protocol).register(registry).increment();
    }
  }

  /** Centrifugo's summary of a duration: quantiles 0.5, 0.99, 0.999 (its histogram companion is apart). */
  private void summary(Map<String, Timer> timers, String name, long nanos, String... tags) {
    String key = String.join("\u0000", tags);
    timers.computeIfAbsent(key, k -> Timer.builder(name).tags(tags).publishPercentiles(0.5, 0.99, 0.999)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A subscription to {@code channel} ended by the server ({@code code}: 2000 server, 2500 insufficient state, ...). */
  public void serverUnsubscribed(String channel, int code) {
    counts.add("centrifugo_client_num_server_unsubscribes", 1, "channel_namespace", ns(channel), "code",
        Integer.toString(code));
  }

  /** A connection accepted by a transport (before its connect command). */
  public void transportConnect(String transport) {
    counts.add("centrifugo_transport_connect_count", 1, "transport", transport);
  }

  /** A message of {@code channel} from the broker: {@code publication}, {@code join} or {@code leave}. */
  public void brokerMessage(String type, String channel) {
    counts.add("centrifugo_node_messages_received_count", 1, "channel_namespace", ns(channel), "type", type);
  }

  /** A publication to {@code channel} the broker took, {@code nanos} after the publish call. */
  public void published(String channel, long nanos) {
    publishTimer.record(nanos, TimeUnit.NANOSECONDS);
    counts.add(MESSAGES_SENT, 1, "channel_namespace", ns(channel), "type", "publication");
  }

  /** A publication handed to {@code subscribers} subscribers of one event loop. */
  public void delivered(int subscribers) {
    if (subscribers > 0) {
      deliveries.increment(subscribers);
    }
  }

  /** A recovery on subscribe to {@code channel}: whether it succeeded and how many publications it returned. */
  public void recovery(String channel, boolean ok, int publications) {
    counts.add("centrifugo_client_recover", 1, "channel_namespace", ns(channel), "has_recovered_publications",
        publications > 0 ? "yes" : "no", "recovered", ok ? "yes" : "no");
    recoveredPublications.increment(publications);
  }

  public void proxy(String kind, long nanos, boolean failed) {
    proxyTimers.computeIfAbsent(kind, k -> Timer.builder("centrifugo_proxy_duration_seconds").tag("type", k)
        .publishPercentiles(0.5, 0.99, 0.999).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    if (failed) {
      counts.add("centrifugo_proxy_errors", 1, "type", kind);
    }
  }

  /** For tests and the admin UI. */
  public MeterRegistry meters() {
    return registry;
  }
}
