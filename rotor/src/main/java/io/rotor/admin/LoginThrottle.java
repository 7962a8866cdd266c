package io.rotor.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed admin logins per client address: the first {@link #FREE_FAILURES} cost nothing, then each
 * attempt is answered only after a delay that doubles ({@link #FIRST_DELAY_MS} up to
 * {@link #MAX_DELAY_MS}), and after {@link #BLOCK_AFTER} failures in a row the address is refused
 * for {@link #BLOCK_MS}. One attempt per address is answered at a time, so parallel requests do not
 * get around the delay. A success resets the address; failures are forgotten {@link #FORGET_MS}
 * after the last one. At 10 failures per 5 minutes and address, guessing a password is hopeless.
 */
public final class LoginThrottle {

  static final int FREE_FAILURES = 3;
  static final long FIRST_DELAY_MS = 250;
  static final long MAX_DELAY_MS = 4_000;
  static final int BLOCK_AFTER = 10;
  static final long BLOCK_MS = 5 * 60_000;
  static final long FORGET_MS = 15 * 60_000;
  /** Past this many addresses, stale ones are dropped so a scan of many addresses cannot grow memory. */
  private static final int MAX_ADDRESSES = 10_000;

  /** What to do with an attempt: answer after {@code delayMs}, or refuse for {@code retryAfterMs}. */
  record Decision(boolean refused, long delayMs, long retryAfterMs) {
  }

  private static final class Attempts {
    int failures;
    long lastFailure;
    long blockedUntil;
    boolean inFlight;
  }

  private final Map<String, Attempts> byAddress = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  /** One per node: the admin routes of every event loop share it. */
  public LoginThrottle() {
    this(System::currentTimeMillis);
  }

  LoginThrottle(LongSupplier clockMillis) {
    this.clock = clockMillis;
  }

  /** Called when an attempt arrives; unless refused, {@link #finished} must follow. */
  Decision begin(String address) {
    long now = clock.getAsLong();
    if (byAddress.size() > MAX_ADDRESSES) {
      byAddress.values().removeIf(a -> !a.inFlight && a.blockedUntil < now && now - a.lastFailure > FORGET_MS);
    }
    Attempts a = byAddress.computeIfAbsent(address, k -> new Attempts());
    synchronized (a) {
      if (a.blockedUntil > now) {
        return new Decision(true, 0, a.blockedUntil - now);
      }
      if (a.inFlight) {
        return new Decision(true, 0, Math.max(1_000, delay(a.failures)));
      }
      if (now - a.lastFailure > FORGET_MS) {
        a.failures = 0;
      }
      a.inFlight = true;
      return new Decision(false, delay(a.failures), 0);
    }
  }

  /**
   * Records the outcome of an attempt {@link #begin} let through; returns the failures in a row
   * (0 after a success) and whether the address is now refused.
   */
  Decision finished(String address, boolean success) {
    long now = clock.getAsLong();
    Attempts a = byAddress.computeIfAbsent(address, k -> new Attempts());
    synchronized (a) {
      a.inFlight = false;
      if (success) {
        byAddress.remove(address);
        return new Decision(false, 0, 0);
      }
      a.failures++;
      a.lastFailure = now;
      if (a.failures >= BLOCK_AFTER) {
        a.blockedUntil = now + BLOCK_MS;
        a.failures = FREE_FAILURES; // after the refusal, every failure is delayed again at once
        return new Decision(true, 0, BLOCK_MS);
      }
      return new Decision(false, delay(a.failures), 0);
    }
  }

  /** Failures counted for {@code address} now (for logs and tests). */
  int failures(String address) {
    Attempts a = byAddress.get(address);
    return a == null ? 0 : a.failures;
  }

  static long delay(int failures) {
    if (failures < FREE_FAILURES) {
      return 0;
    }
    int doublings = Math.min(failures - FREE_FAILURES, 30);
    return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << doublings);
  }
}
