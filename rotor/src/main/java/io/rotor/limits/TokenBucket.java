package io.rotor.limits;

/**
 * A token bucket: holds at most {@code capacity} tokens and gains {@code capacity} per
 * {@code intervalNanos}. Not thread-safe: each owner (a connection) uses it from one event loop;
 * {@link ConnectionLimiter} synchronises its own.
 */
public final class TokenBucket {

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long last;

  public TokenBucket(int capacity, long intervalNanos) {
    this.capacity = capacity;
    this.perNano = capacity / (double) intervalNanos;
    this.tokens = capacity;
    this.last = System.nanoTime();
  }

  /** Takes one token if there is one. */
  public boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
