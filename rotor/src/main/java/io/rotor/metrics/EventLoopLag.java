package io.rotor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

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
 *
 * <p>{@link #worstSince} answers "how late did any loop run lately", including a stall still going
 * on, so that the node can tell overload from a silent fault (the liveness probe does).
 */
public final class EventLoopLag {

  /** How often each loop checks in; also the measurement's resolution. */
  static final long INTERVAL_MS = 20;

  /** Seconds of the recent past kept by {@link #worstSince}. */
  static final int WINDOW_SECONDS = 64;

  private final Timer lag;
  private final long origin = System.nanoTime();
  /** Per second slot (second mod the window): the second's number in the upper half, the worst lag in ms below. */
  private final AtomicLongArray worstPerSecond = new AtomicLongArray(WINDOW_SECONDS);
  /** When each loop's pending check-in is due, so a stall still in progress is seen. */
  private final List<AtomicLong> pending = new ArrayList<>();
  /** How late each loop's last check-in ran, in ms (same index as {@link #pending}). */
  private AtomicLongArray lastLateMs = new AtomicLongArray(0);
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
    // Internal: the public API reaches no event loop but the caller's; the meter must time each one.
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) vertx).nettyEventLoopGroup().forEach(loops::add);
    meter.lastLateMs = new AtomicLongArray(loops.size());
    for (int i = 0; i < loops.size(); i++) {
      AtomicLong due = new AtomicLong(System.nanoTime());
      meter.pending.add(due);
      meter.schedule(loops.get(i), i, due);
    }
    return meter;
  }

  private void schedule(EventExecutor loop, int index, AtomicLong pendingDue) {
    if (stopped || loop.isShuttingDown()) {
      return;
    }
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
    pendingDue.set(due);
    loop.schedule(() -> {
      long now = System.nanoTime();
      long late = Math.max(0, now - due);
      lag.record(late, TimeUnit.NANOSECONDS);
      lastLateMs.set(index, TimeUnit.NANOSECONDS.toMillis(late));
      remember(now, TimeUnit.NANOSECONDS.toMillis(late));
      schedule(loop, index, pendingDue);
    }, INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  private void remember(long now, long lateMs) {
    long second = (now - origin) / 1_000_000_000L;
    int slot = (int) (second % WINDOW_SECONDS);
    long updated = (second << 32) | Math.min(lateMs, Integer.MAX_VALUE);
    while (true) {
      long cur = worstPerSecond.get(slot);
      if ((cur >>> 32) == second && (cur & 0xffffffffL) >= lateMs) {
        return;
      }
      if (worstPerSecond.compareAndSet(slot, cur, updated)) {
        return;
      }
    }
  }

  /**
   * The longest any event loop ran late since {@code sinceNanos} ({@link System#nanoTime()}, at most
   * {@link #WINDOW_SECONDS} ago; rounded out to whole seconds), or is late now, in milliseconds.
   */
  public long worstSince(long sinceNanos) {
    long now = System.nanoTime();
    long worst = 0;
    for (AtomicLong due : stopped ? List.<AtomicLong>of() : pending) {
      worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(now - due.get()));
    }
    long from = Math.max(0, (sinceNanos - origin) / 1_000_000_000L);
    long to = (now - origin) / 1_000_000_000L;
    from = Math.max(from, to - WINDOW_SECONDS + 1);
    for (long second = from; second <= to; second++) {
      long cur = worstPerSecond.get((int) (second % WINDOW_SECONDS));
      if ((cur >>> 32) == second) {
        worst = Math.max(worst, cur & 0xffffffffL);
      }
    }
    return worst;
  }

  /**
   * How late the event loops run now, in milliseconds: the most any loop's last check-in was late,
   * or is overdue at this moment (a loop still busy with a long turn). For admission control.
   */
  public long currentMs() {
    long now = System.nanoTime();
    long worst = 0;
    for (int i = 0; i < pending.size(); i++) {
      worst = Math.max(worst, Math.max(lastLateMs.get(i), TimeUnit.NANOSECONDS.toMillis(now - pending.get(i).get())));
    }
    return worst;
  }

  public void stop() {
    stopped = true;
  }
}
