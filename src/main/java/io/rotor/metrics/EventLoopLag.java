package io.rotor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task it scheduled {@link #INTERVAL_MS} ahead: a loop busy with
 * one long task (or stopped by a GC pause, or starved of CPU) runs its next task late by about as
 * long as the stall. Recorded into {@code rotor_node_event_loop_lag_seconds}, a histogram with
 * fixed buckets around the 100 ms a client notices, so a scrape tells how many stalls passed each
 * bound since the node started (and Micrometer's {@code _max} the longest of the last minutes).
 *
 * <p>Cheap by design: one Netty scheduled task per loop every {@link #INTERVAL_MS}, scheduled on the
 * loop itself, so no thread and no lock; a stall shorter than the interval may go unseen or read
 * shorter by up to the interval.
 */
public final class EventLoopLag {

  /** How often each loop checks in; also the measurement's resolution. */
  static final long INTERVAL_MS = 20;

  private final Timer lag;
  private volatile boolean stopped;

  private EventLoopLag(MeterRegistry registry) {
    lag = Timer.builder("rotor_node_event_loop_lag_seconds")
        .description("how late an event loop ran a task scheduled on it (stalls, GC pauses, CPU starvation)")
        .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2))
        .register(registry);
  }

  /** Starts measuring every event loop of {@code vertx}; {@link #stop} ends it. */
  public static EventLoopLag start(Vertx vertx, MeterRegistry registry) {
    EventLoopLag meter = new EventLoopLag(registry);
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      meter.schedule(loop);
    }
    return meter;
  }

  private void schedule(EventExecutor loop) {
    if (stopped || loop.isShuttingDown()) {
      return;
    }
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
    loop.schedule(() -> {
      lag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
      schedule(loop);
    }, INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    stopped = true;
  }
}
