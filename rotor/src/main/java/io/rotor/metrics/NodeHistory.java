package io.rotor.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The last 15 minutes of the node's own meters, one {@link Sample} every {@link #INTERVAL_SECONDS}:
 * clients, subscriptions, publications and deliveries in the interval, and the worst event-loop lag
 * of the interval. What the admin page charts, so an operator without a Prometheus sees what just
 * happened; Prometheus keeps the long history from the same meters.
 *
 * <p>Sampled on a Vert.x timer (a few reads of lock-free meters); each sample replaces an immutable
 * list, so any thread reads {@link #samples} without a lock.
 */
public final class NodeHistory {

  public static final int INTERVAL_SECONDS = 5;
  /** 15 minutes of samples. */
  public static final int CAPACITY = 15 * 60 / INTERVAL_SECONDS;

  /** One interval: counts at its end, events during it, the worst lag in it. */
  public record Sample(long timeMs, double seconds, long clients, long subscriptions, long publications,
                       long deliveries, long lagMs) {
  }

  private final MeterRegistry registry;
  private final EventLoopLag lag;
  private final LongSupplier wallClock;
  private final LongSupplier nanoClock;
  private volatile List<Sample> samples = List.of();
  private long lastNanos;
  private long lastPublications;
  private long lastDeliveries;
  private long timer = -1;
  private Vertx vertx;

  NodeHistory(MeterRegistry registry, EventLoopLag lag, LongSupplier wallClock, LongSupplier nanoClock) {
    this.registry = registry;
    this.lag = lag;
    this.wallClock = wallClock;
    this.nanoClock = nanoClock;
    this.lastNanos = nanoClock.getAsLong();
    this.lastPublications = publications();
    this.lastDeliveries = deliveries();
  }

  /** Samples {@code registry} (where {@link RotorMetrics} and {@code lag} record) until {@link #stop}. */
  public static NodeHistory start(Vertx vertx, MeterRegistry registry, EventLoopLag lag) {
    NodeHistory h = new NodeHistory(registry, lag, System::currentTimeMillis, System::nanoTime);
    h.vertx = vertx;
    h.timer = vertx.setPeriodic(INTERVAL_SECONDS * 1000L, t -> h.sample());
    return h;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Oldest first, at most {@link #CAPACITY}. */
  public List<Sample> samples() {
    return samples;
  }

  /** Takes one sample now (the timer calls it; tests call it directly). */
  void sample() {
    long now = nanoClock.getAsLong();
    long publications = publications();
    long deliveries = deliveries();
    Sample s = new Sample(wallClock.getAsLong(), (now - lastNanos) / 1e9, gauge("centrifugo_node_num_clients"),
        gauge("centrifugo_node_num_subscriptions"), publications - lastPublications, deliveries - lastDeliveries,
        lag == null ? 0 : lag.worstSince(lastNanos));
    lastNanos = now;
    lastPublications = publications;
    lastDeliveries = deliveries;
    List<Sample> old = samples;
    List<Sample> next = new ArrayList<>(Math.min(old.size() + 1, CAPACITY));
    next.addAll(old.size() < CAPACITY ? old : old.subList(old.size() - CAPACITY + 1, old.size()));
    next.add(s);
    samples = List.copyOf(next);
  }

  /** Summed over its {@code channel_namespace} series (one without namespace resolution). */
  private long publications() {
    double sum = 0;
    for (Gauge g : Search.in(registry).name(RotorMetrics.MESSAGES_SENT).tag("type", "publication").gauges()) {
      sum += g.value();
    }
    return Math.round(sum);
  }

  private long deliveries() {
    io.micrometer.core.instrument.Counter c = Search.in(registry).name(RotorMetrics.DELIVERIES).counter();
    return c == null ? 0 : Math.round(c.count());
  }

  private long gauge(String name) {
    return gauge(Search.in(registry).name(name));
  }

  private static long gauge(Search search) {
    Gauge g = search.gauge();
    return g == null ? 0 : Math.round(g.value());
  }
}
