package io.rotor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Centrifugo's duration histograms ({@code centrifugo_client_ping_pong_duration_seconds},
 * {@code ..._duration_seconds_histogram}) with its exact names and buckets in seconds.
 *
 * <p>A Micrometer distribution summary cannot be one: it rounds each value up to a whole number
 * before bucketing, so every duration under a second lands in {@code le="1.0"}. And a Micrometer
 * timer appends {@code _seconds} to a name that ends otherwise ({@code ..._histogram}). So on a
 * Prometheus registry (the one {@code /metrics} serves) these are Prometheus client histograms
 * registered beside Micrometer's meters; on any other registry (an embedding host's) they are
 * Micrometer timers with the same buckets as service levels.
 */
final class Histograms {

  /** One histogram per name and Prometheus registry, however many {@link RotorMetrics} share it. */
  private static final Map<PrometheusRegistry, Map<String, Histogram>> NATIVE = new WeakHashMap<>();

  private final MeterRegistry registry;
  private final String name;
  private final double[] buckets;
  private final String[] labelNames;
  private final Histogram prometheus;
  private final Map<String, Observer> children = new ConcurrentHashMap<>();

  /** Records one observation in seconds. */
  interface Observer {
    void observe(long nanos);
  }

  Histograms(MeterRegistry registry, String name, String help, double[] buckets, String... labelNames) {
    this.registry = registry;
    this.name = name;
    this.buckets = buckets.clone();
    this.labelNames = labelNames;
    this.prometheus = registry instanceof PrometheusMeterRegistry p
        ? nativeHistogram(p.getPrometheusRegistry(), name, help, buckets, labelNames) : null;
  }

  private static Histogram nativeHistogram(PrometheusRegistry registry, String name, String help, double[] buckets,
      String[] labelNames) {
    synchronized (NATIVE) {
      return NATIVE.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).computeIfAbsent(name,
          // No exemplars: Micrometer leaves out the tracer they would sample from.
          n -> Histogram.builder().name(n).help(help).labelNames(labelNames).classicOnly()
              .classicUpperBounds(buckets).withoutExemplars().register(registry));
    }
  }

  /** The series for {@code labelValues}, in the order of the label names. */
  Observer with(String... labelValues) {
    String key = String.join("\u0000", labelValues);
    Observer o = children.get(key);
    if (o == null) {
      o = children.computeIfAbsent(key, k -> create(labelValues));
    }
    return o;
  }

  private Observer create(String[] labelValues) {
    if (prometheus != null) {
      var child = prometheus.labelValues(labelValues);
      return nanos -> child.observe(nanos / 1e9);
    }
    String[] tags = new String[labelNames.length * 2];
    for (int i = 0; i < labelNames.length; i++) {
      tags[2 * i] = labelNames[i];
      tags[2 * i + 1] = labelValues[i];
    }
    Timer timer = Timer.builder(name).tags(tags).serviceLevelObjectives(Arrays.stream(buckets)
        .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new)).register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
