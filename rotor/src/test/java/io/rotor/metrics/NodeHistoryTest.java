package io.rotor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admin charts' samples: counts, events per interval, and 15 minutes kept (the lag: EventLoopLagTest). */
class NodeHistoryTest {

  @Test
  void samplesTheNodesMetersAndKeepsFifteenMinutes() {
    PrometheusMeterRegistry registry = RotorMetrics.newRegistry();
    RotorMetrics metrics = new RotorMetrics(registry);
    AtomicInteger clients = new AtomicInteger(3);
    AtomicInteger subscriptions = new AtomicInteger(5);
    metrics.nodeGauges(clients::get, () -> 2, () -> 1, subscriptions::get, "test");
    AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    AtomicLong nanos = new AtomicLong(42);
    metrics.published("chat", 1000); // before the history: not in its first interval
    NodeHistory h = new NodeHistory(registry, null, wall::get, nanos::get);

    metrics.published("chat", 1000);
    metrics.published("chat", 1000);
    metrics.delivered(7);
    metrics.delivered(0);
    wall.addAndGet(5000);
    nanos.addAndGet(5_000_000_000L);
    h.sample();
    assertEquals(List.of(new NodeHistory.Sample(1_700_000_005_000L, 5.0, 3, 5, 2, 7, 0)), h.samples());

    clients.set(1);
    wall.addAndGet(4000);
    nanos.addAndGet(4_000_000_000L);
    h.sample();
    assertEquals(new NodeHistory.Sample(1_700_000_009_000L, 4.0, 1, 5, 0, 0, 0), h.samples().get(1));

    for (int i = 0; i < NodeHistory.CAPACITY; i++) {
      wall.addAndGet(5000);
      h.sample();
    }
    assertEquals(NodeHistory.CAPACITY, h.samples().size(), "15 minutes");
    assertEquals(1_700_000_009_000L + 5000, h.samples().get(0).timeMs(), "the oldest dropped first");
    assertEquals(1_700_000_009_000L + 5000L * NodeHistory.CAPACITY, h.samples().get(NodeHistory.CAPACITY - 1).timeMs());
  }
}
