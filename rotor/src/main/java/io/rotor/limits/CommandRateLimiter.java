package io.rotor.limits;

import java.time.Duration;

/**
 * Per-connection command rate limit ({@code client.rate_limit.client_command}): a token bucket of
 * {@code rate} commands per {@code interval}. A command over the limit is answered with error 111
 * (temporary: SDKs retry later); a client that keeps sending while limited, a full bucket's worth
 * of refused commands in a row, is disconnected with 3013. Lives on the connection's event loop.
 */
public final class CommandRateLimiter {

  public enum Verdict { ALLOW, REJECT, DISCONNECT }

  private final TokenBucket bucket;
  private final int rejectLimit;
  private int rejectedInARow;

  public CommandRateLimiter(int rate, Duration interval) {
    this.bucket = new TokenBucket(rate, interval.toNanos());
    this.rejectLimit = Math.max(1, rate);
  }

  public Verdict check() {
    if (bucket.tryTake()) {
      rejectedInARow = 0;
      return Verdict.ALLOW;
    }
    return ++rejectedInARow > rejectLimit ? Verdict.DISCONNECT : Verdict.REJECT;
  }
}
