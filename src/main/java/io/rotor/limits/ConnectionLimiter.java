package io.rotor.limits;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Node-wide admission before a transport upgrades (Centrifugo's connlimit middleware):
 * {@code client.connection_limit} open connections and {@code client.connection_rate_limit} new
 * connections per second; 0 disables each. A refused request is answered with HTTP 503 and costs
 * the node nothing more. Shared by every event loop and every transport: call
 * {@link #tryAcquire()} before accepting and {@link #release()} exactly once when an accepted
 * connection ends.
 */
public final class ConnectionLimiter {

  private final int limit;
  private final TokenBucket rate;
  private final AtomicInteger open = new AtomicInteger();

  public ConnectionLimiter(int connectionLimit, int connectionRateLimit) {
    this.limit = connectionLimit;
    this.rate = connectionRateLimit > 0 ? new TokenBucket(connectionRateLimit, TimeUnit.SECONDS.toNanos(1)) : null;
  }

  public boolean tryAcquire() {
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
