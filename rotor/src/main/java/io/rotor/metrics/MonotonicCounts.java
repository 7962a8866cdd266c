package io.rotor.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts that only grow, exposed under an exact Prometheus name. A Java Prometheus counter is always
 * written with a {@code _total} suffix; Centrifugo's Go counters are not
 * ({@code centrifugo_client_num_reply_errors}, {@code centrifugo_transport_messages_sent}), and its
 * dashboards query them by that name. So these are gauges reading a {@link LongAdder}: the name and
 * the values a {@code rate()} needs are Centrifugo's, only the {@code # TYPE} line says gauge.
 */
final class MonotonicCounts {

  private final MeterRegistry registry;
  private final Map<String, LongAdder> byKey = new ConcurrentHashMap<>();

  MonotonicCounts(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Adds {@code amount} to the count {@code name} with the given tag names and values. */
  void add(String name, long amount, String... tags) {
    String key = tags.length == 0 ? name : name + String.join("\u0000", tags);
    LongAdder adder = byKey.get(key);
    if (adder == null) {
      adder = byKey.computeIfAbsent(key, k -> {
        LongAdder a = new LongAdder();
        // strongReference: the gauge must not lose its value when the map is the only other holder
        Gauge.builder(name, a, LongAdder::sum).tags(tags).strongReference(true).register(registry);
        return a;
      });
    }
    adder.add(amount);
  }
}
