package io.rotor.limits;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Node-wide admission before a transport upgrades (Centrifugo's connlimit middleware):
 * {@code client.connection_limit} open connections and {@code client.connection_rate_limit} new
 * connections per second; 0 disables each. A refused request is answered with HTTP 503 and costs
 * the node nothing more. Shared by every event loop and every transport: call
 * {@link #tryAcquire()} before accepting and {@link #release()} exactly once when an accepted
 * connection ends.
 *
 * <p>Adaptive admission ({@code client.connection_admission_lag}, {@link #admitWhileLagBelow}):
 * instead of a fixed rate, new connections are taken as fast as the event loops keep up, and
 * refused while any loop runs later than the bound. A loop that falls behind in a storm is busy
 * with handshakes, subscriptions and recoveries it accepted; refusing more at the door (a 503 costs
 * a few microseconds, a connection hundreds) lets it catch up, and the clients' backoff spreads
 * them out. The lag is measured by {@code metrics.EventLoopLag}, including a stall in progress, so
 * the gate closes within the turn in which a loop overruns.
 */
public final class ConnectionLimiter {

  private final int limit;
  private final TokenBucket rate;
  private final AtomicInteger open = new AtomicInteger();
  private volatile LongSupplier lagMs;
  private volatile long maxLagMs;

  public ConnectionLimiter(int connectionLimit, int connectionRateLimit) {
    this.limit = connectionLimit;
    this.rate = connectionRateLimit > 0 ? new TokenBucket(connectionRateLimit, TimeUnit.SECONDS.toNanos(1)) : null;
  }

  /** Refuses new connections while {@code lagMs} (how late the event loops run) exceeds {@code maxLagMs}; 0 turns it off. */
  public void admitWhileLagBelow(LongSupplier lagMs, long maxLagMs) {
    this.lagMs = lagMs;
    this.maxLagMs = maxLagMs;
  }

  public boolean tryAcquire() {
    LongSupplier lag = lagMs;
    if (lag != null && maxLagMs > 0 && lag.getAsLong() > maxLagMs) {
      return false;
    }
    if (rate != null) {
      synchronized (rate) {
        if (!rate.tryTake()) {
          return false;
        }
      }
    }
    if (limit > 0) {
      int n = open.incrementAndGet();
      if (n > limit) {
        open.decrementAndGet();
        return false;
      }
      return true;
    }
    open.incrementAndGet();
    return true;
  }

  public void release() {
    open.decrementAndGet();
  }

  public int open() {
    return open.get();
  }
}
