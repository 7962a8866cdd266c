package io.rotor.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.rotor.config.ClusterOptions;
import io.rotor.config.ClusterTlsOptions;
import io.rotor.config.RotorOptions;
import io.rotor.metrics.RotorMetrics;
import io.rotor.server.IoTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance a node runs in: plain for a single node, clustered with Hazelcast when
 * {@code cluster.enabled}. Members find each other by TCP-IP join only (never multicast), under
 * the cluster name, so deployments and tests that use different names never mix.
 */
public final class ClusterVertx {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterVertx.class);

  private ClusterVertx() {
  }

  public static Future<Vertx> create(RotorOptions options) {
    return create(options, null);
  }

  /**
   * As {@link #create(RotorOptions)}, with Vert.x's own meters recorded into {@code registry}
   * (null: none) so that /metrics shows them beside Rotor's.
   */
  public static Future<Vertx> create(RotorOptions options, PrometheusMeterRegistry registry) {
    VertxOptions vertxOptions = new VertxOptions();
    IoTransport.sizeIoUringQueues();
    Transport transport = IoTransport.choose(options.getHttpServer().getIoTransport());
    VertxBuilder builder = Vertx.builder().withTransport(transport);
    String fallback = IoTransport.AUTO.equals(options.getHttpServer().getIoTransport()) ? IoTransport.fallbackReason() : null;
    LOG.info("I/O transport: {}{}", transport.name(), fallback != null ? " (" + fallback + ")" : "");
    // A metrics factory handed to the builder is used even when its options say disabled, and
    // Vert.x's per-request HTTP meters cost ~14 % of an API call: only with prometheus.enabled.
    if (registry != null && options.getPrometheus().isEnabled()) {
      builder.withMetrics(RotorMetrics.vertxMetrics(registry));
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    }
    ClusterOptions c = options.getCluster();
    if (!c.isEnabled()) {
      return Future.succeededFuture(builder.with(vertxOptions).build());
    }
    EventBusOptions bus = new EventBusOptions().setHost(c.getHost()).setPort(c.getEventBusPort());
    if (!c.getPublicHost().isEmpty()) {
      bus.setClusterPublicHost(c.getPublicHost());
    }
    if (c.getTls().isEnabled()) {
      tls(bus, c.getTls());
    }
    return builder
        .with(vertxOptions.setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(hazelcast(c)))
        .buildClustered();
  }

  /**
   * Event-bus TLS with explicit trust: this node's key, the cluster's CA as the only trust, and a
   * certificate required from every connecting node, so a node without one signed by that CA can
   * neither send nor receive. Vert.x's clustered event bus turns hostname verification off on its
   * client side (nodes dial each other by the address they registered, not a DNS name): the CA is
   * the trust boundary, so it must sign cluster certificates only.
   */
  static void tls(EventBusOptions bus, ClusterTlsOptions t) {
    bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false);
    if (!t.getKeyStoreFile().isEmpty()) {
      bus.setKeyCertOptions(store(t.getKeyStoreFile(), t.getKeyStorePassword()));
    } else {
      bus.setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.getCertPemFile()).setKeyPath(t.getKeyPemFile()));
    }
    if (!t.getTrustStoreFile().isEmpty()) {
      bus.setTrustOptions(store(t.getTrustStoreFile(), t.getTrustStorePassword()));
    } else {
      bus.setTrustOptions(new PemTrustOptions().addCertPath(t.getCaPemFile()));
    }
  }

  /**
   * PKCS#12, or JKS by the {@code .jks} suffix. The concrete classes, not KeyStoreOptions: the
   * clustered event bus copies its options through JSON, which keeps only Pem, Jks and Pfx options.
   */
  private static KeyStoreOptionsBase store(String file, String password) {
    return file.toLowerCase(Locale.ROOT).endsWith(".jks")
        ? new JksOptions().setPath(file).setPassword(password)
        : new PfxOptions().setPath(file).setPassword(password);
  }

  /** Vert.x's default Hazelcast config (it declares the maps Vert.x needs) with our network and timing. */
  static Config hazelcast(ClusterOptions c) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(c.getName());
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // Rotor's shutdown hook closes Vert.x, which leaves the cluster; Hazelcast must not go first.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    long heartbeat = Math.max(1, c.getHeartbeatTimeout().getSeconds());
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(heartbeat));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(Math.max(1, Math.min(5, heartbeat / 4))));
    // How soon a member that was cut off (or frozen) is merged back once it can talk again: the
    // check only pings the configured members, so a short interval costs next to nothing.
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "2");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "2");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.getPort()).setPortAutoIncrement(true).setPortCount(10);
    if (!c.getPublicHost().isEmpty()) {
      net.setPublicAddress(c.getPublicHost());
    }
    if (c.getHost().matches("[0-9.]+") && !c.getHost().equals("0.0.0.0")) {
      net.getInterfaces().setEnabled(true).setInterfaces(List.of(c.getHost()));
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true)
        .setMembers(c.getMembers().isEmpty() ? List.of(c.getHost()) : c.getMembers());
    return hz;
  }
}
