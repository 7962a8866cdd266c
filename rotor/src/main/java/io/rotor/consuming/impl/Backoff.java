package io.rotor.consuming.impl;

/** Exponential backoff with jitter after consecutive failures: 50 ms doubling up to 10 s. */
final class Backoff {

  private int failures;

  long next() {
    failures = Math.min(failures + 1, 16);
    long base = Math.min(10_000L, 50L << Math.min(failures - 1, 8));
    return base / 2 + (long) (Math.random() * base / 2);
  }

  void reset() {
    failures = 0;
  }
}
