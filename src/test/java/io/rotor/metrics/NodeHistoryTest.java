package io.rotor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rotor.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admin charts' samples: counts, events per interval, the worst lag, and 15 minutes kept. */
class NodeHistoryTest {

  @Test
  void samplesTheNodesMetersAndKeepsFifteenMinutes() {
    PrometheusMeterRegistry registry = RotorMetrics.newRegistry();
    RotorMetrics metrics = new RotorMetrics(registry);
    AtomicInteger clients = new AtomicInteger(3);
    AtomicInteger subscriptions = new AtomicInteger(5);
    metrics.nodeGauges(clients::get, () -> 2, () -> 1, subscriptions::get, t -> 0, "test");
    AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    AtomicLong nanos = new AtomicLong(42);
    metrics.published(1000); // before the history: not in its first interval
    NodeHistory h = new NodeHistory(registry, null, wall::get, nanos::get);

    metrics.published(1000);
    metrics.published(1000);
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

  @Test
  void aSampleHoldsTheWorstEventLoopLagOfItsInterval() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      PrometheusMeterRegistry registry = RotorMetrics.newRegistry();
      EventLoopLag lag = EventLoopLag.start(vertx, registry);
      NodeHistory h = new NodeHistory(registry, lag, System::currentTimeMillis, System::nanoTime);
      long before = System.nanoTime();
      vertx.runOnContext(v -> {
        try {
          Thread.sleep(400); // the stall being measured: one loop held for 400 ms
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Await.until("the stall is over and recorded", 5000, () -> lag.worstSince(before) >= 380 - EventLoopLag.INTERVAL_MS
          && lag.currentMs() < 100);
      h.sample();
      long worst = h.samples().get(h.samples().size() - 1).lagMs();
      assertTrue(worst >= 380 - EventLoopLag.INTERVAL_MS && worst < 5000, "worst lag " + worst);
      lag.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
