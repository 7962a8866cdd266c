package io.rotor.testing;

import java.util.function.BooleanSupplier;

/**
 * Waits for state that changes with no event a test can subscribe to (a client released after a
 * peer's abort, a session timing out): checks the condition, then again every few milliseconds,
 * until it holds or the deadline passes, which fails the test with {@code what}.
 */
public final class Await {

  private Await() {
  }

  public static void until(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + timeoutMs + " ms: " + what);
      }
      Thread.sleep(20);
    }
  }
}
