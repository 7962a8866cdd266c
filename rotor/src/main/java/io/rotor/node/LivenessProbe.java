package io.rotor.node;

import io.rotor.core.Publication;
import io.rotor.channel.ResolvedChannel;
import io.rotor.config.ChannelOptions;
import io.rotor.config.HealthOptions;
import io.rotor.history.HistoryOptions;
import io.rotor.metrics.EventLoopLag;
import io.rotor.core.Disconnect;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An end-to-end liveness probe through the real publish path. A node can look healthy (its HTTP
 * port answers) while its publications stop flowing: a Redis connection that swallows requests
 * without failing them, an event-bus consumer that stopped delivering. Every interval the node
 * publishes to a probe channel that it owns itself, with history, so the publication goes through
 * its sequencer, the engine and the broker's fan-out, and it expects the publication back as
 * any subscriber would. After {@code liveness_probe_failures} consecutive probes that did not come
 * back within the timeout the node is degraded: {@code /ready} answers 503 with the details, and
 * its clients are disconnected with 3010 (insufficient state) so they reconnect, preferably
 * elsewhere, and recover what they missed. One successful probe makes it healthy again.
 *
 * <p>A probe also misses when the node is merely overloaded (a reconnect storm): its event loops
 * then run late, and disconnecting every client would start a second storm. So a miss while some
 * event loop ran at least {@code liveness_probe_overload_lag} late is reported as overload and not
 * counted; silent starvation leaves the loops idle and on time. And when the node does disconnect,
 * it spreads the disconnects over one probe interval with jitter rather than all at once.
 */
final class LivenessProbe {

  /** Probe channels; never resolved by clients (no namespace starts with a double underscore). */
  static final String PREFIX = "__rotor_probe.";
  private static final Logger LOG = LoggerFactory.getLogger(LivenessProbe.class);
  private static final ChannelOptions PROBE_OPTIONS = new ChannelOptions().setHistorySize(1)
      .setHistoryTtl(Duration.ofSeconds(60));

  private final Node node;
  private final HealthOptions options;
  private final Predicate<String> ownedHere;
  private final EventLoopLag lag;
  private final long timer;
  private String channel;
  private long sequence;
  private long sentAt;
  private long expected = -1;
  private int failures;
  private volatile long overloadedMisses;
  private volatile long lastOverloadLagMs = -1;
  private volatile boolean degraded;
  private volatile long lastRoundTripMs = -1;
  private volatile String lastError = "";
  private volatile long lastSuccessAt;

  LivenessProbe(Node node, Predicate<String> ownedHere, EventLoopLag lag) {
    this.node = node;
    this.options = node.options().getHealth();
    this.ownedHere = ownedHere;
    this.lag = lag;
    long interval = options.getLivenessProbeInterval().toMillis();
    this.timer = interval > 0 ? node.vertx().setPeriodic(interval, t -> probe()) : -1;
  }

  /** A channel this node owns now (ownership moves with membership). */
  private String ownChannel() {
    for (int i = 0; ; i++) {
      String c = PREFIX + node.id() + "." + i;
      if (ownedHere.test(c)) {
        return c;
      }
    }
  }

  private synchronized void probe() {
    if (expected >= 0) {
      return; // the previous probe is still within its timeout
    }
    String c = ownChannel();
    if (!c.equals(channel)) {
      if (channel != null) {
        node.unwatch(channel);
      }
      channel = c;
      node.watch(c);
    }
    long n = ++sequence;
    expected = n;
    sentAt = System.nanoTime();
    byte[] data = ("{\"probe\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    ResolvedChannel rc = new ResolvedChannel(c, PROBE_OPTIONS, new HistoryOptions(1, Duration.ofSeconds(60),
        Duration.ofSeconds(120)), false, null);
    node.publishProbe(rc, new Publication(0, null, data, null, Map.of(), System.currentTimeMillis()))
        .onFailure(e -> lastError = "publish failed: " + e.getMessage());
    node.vertx().setTimer(options.getLivenessProbeTimeout().toMillis(), t -> timedOut(n));
  }

  /** From the fan-out: true when the publication is a probe (it goes to no client). */
  boolean accept(String c, Publication p) {
    if (!c.startsWith(PREFIX)) {
      return false;
    }
    String text = new String(p.data(), StandardCharsets.UTF_8);
    long n;
    try {
      n = Long.parseLong(text.substring(text.indexOf(':') + 1, text.length() - 1));
    } catch (RuntimeException e) {
      return true;
    }
    received(n);
    return true;
  }

  private synchronized void received(long n) {
    if (n != expected) {
      return;
    }
    expected = -1;
    lastRoundTripMs = (System.nanoTime() - sentAt) / 1_000_000;
    lastSuccessAt = System.currentTimeMillis();
    lastError = "";
    failures = 0;
    lastOverloadLagMs = -1;
    if (degraded) {
      degraded = false;
      LOG.info("liveness probe succeeded again: node healthy");
    }
  }

  private void timedOut(long n) {
    boolean disconnect;
    synchronized (this) {
      if (n != expected) {
        return;
      }
      expected = -1;
      String missed = "probe " + n + " not received within " + options.getLivenessProbeTimeout().toMillis() + " ms";
      long overloadLag = options.getLivenessProbeOverloadLag().toMillis();
      long lateMs = lag == null ? 0 : lag.worstSince(sentAt);
      if (overloadLag > 0 && lateMs >= overloadLag) {
        // Overload, not a silent fault: counting it would disconnect every client of a busy node.
        if (overloadedMisses++ == 0 || lastOverloadLagMs < 0) {
          LOG.warn("liveness probe missed while an event loop ran {} ms late: node overloaded, miss not counted", lateMs);
        }
        lastOverloadLagMs = lateMs;
        lastError = missed + " while an event loop ran " + lateMs + " ms late (overload, not counted)";
        return;
      }
      failures++;
      if (lastError.isEmpty() || lastError.endsWith("(overload, not counted)")) {
        lastError = missed;
      }
      disconnect = !degraded && failures >= options.getLivenessProbeFailures();
      degraded = degraded || disconnect;
    }
    if (disconnect) {
      LOG.warn("liveness probe failed {} times ({}): node degraded, disconnecting clients to recover", failures,
          lastError);
      node.disconnectAll(Disconnect.INSUFFICIENT_STATE, options.getLivenessProbeInterval().toMillis());
    }
  }

  boolean degraded() {
    return degraded;
  }

  JsonObject status() {
    return new JsonObject().put("enabled", timer >= 0).put("degraded", degraded).put("failures", failures)
        .put("last_round_trip_ms", lastRoundTripMs).put("last_success_at", lastSuccessAt)
        .put("last_error", lastError).put("overloaded_misses", overloadedMisses)
        .put("last_overload_lag_ms", lastOverloadLagMs);
  }

  void stop() {
    if (timer >= 0) {
      node.vertx().cancelTimer(timer);
    }
  }
}
