package io.rotor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rotor.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event-loop lag meter sees a loop that is held busy (so does the admin charts' sample), and stops when told. */
class EventLoopLagTest {

  private static double countAbove(Timer t, double millis) {
    // The total and the bucket counts are separate counters, updated one after the other while the
    // meter records from two loops: a snapshot can see a sample in a bucket before the total. Such
    // a sample is not above the bound, so a negative difference counts as none.
    var snapshot = t.takeSnapshot();
    double total = snapshot.count();
    for (CountAtBucket b : snapshot.histogramCounts()) {
      if (b.bucket(TimeUnit.MILLISECONDS) == millis) {
        return Math.max(0, total - b.count());
      }
    }
    throw new AssertionError("no bucket at " + millis + " ms");
  }

  @Test
  void aBlockedLoopIsRecordedAsLateByAboutTheStall() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      PrometheusMeterRegistry registry = RotorMetrics.newRegistry();
      EventLoopLag lag = EventLoopLag.start(vertx, registry);
      Timer timer = registry.get("rotor_node_event_loop_lag_seconds").timer();
      Await.until("both loops report", 5000, () -> timer.count() >= 10);
      assertEquals(0.0, countAbove(timer, 250), "an idle loop is not late by 250 ms");

      assertTrue(lag.worstSince(System.nanoTime() - 1_000_000_000L) < 250, "idle: " + lag.worstSince(0));

      // The stall itself: a task that holds one event loop for 400 ms.
      NodeHistory history = new NodeHistory(registry, lag, System::currentTimeMillis, System::nanoTime);
      long before = System.nanoTime();
      vertx.runOnContext(v -> {
        try {
          Thread.sleep(400);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Await.until("the stall is seen while it goes on", 5000, () -> lag.worstSince(before) >= 250);
      Await.until("the stall is recorded", 5000, () -> countAbove(timer, 250) >= 1);
      assertTrue(lag.worstSince(before) >= 380 - EventLoopLag.INTERVAL_MS, "worst since " + lag.worstSince(before));
      assertTrue(timer.max(TimeUnit.MILLISECONDS) >= 380 - EventLoopLag.INTERVAL_MS, "max " + timer.max(TimeUnit.MILLISECONDS));
      history.sample();
      long sampled = history.samples().get(0).lagMs();
      assertTrue(sampled >= 380 - EventLoopLag.INTERVAL_MS, "the admin charts' sample holds the stall: " + sampled);
      assertTrue(registry.scrape().contains("rotor_node_event_loop_lag_seconds_bucket{le=\"0.1\"}"), "Prometheus buckets");

      lag.stop();
      Thread.sleep(3 * EventLoopLag.INTERVAL_MS); // let a task already scheduled run out
      long stopped = timer.count();
      Thread.sleep(10 * EventLoopLag.INTERVAL_MS); // nothing to await: the absence of samples is the point
      assertEquals(stopped, timer.count(), "no samples after stop");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
