package io.rotor.config;

import java.time.Duration;

/** {@code shutdown}: graceful shutdown on SIGTERM. */
public class ShutdownOptions {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Longest a graceful shutdown may take before the process exits anyway. */
  private Duration timeout = DEFAULT_TIMEOUT;

  public Duration getTimeout() {
    return timeout;
  }

  public ShutdownOptions setTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }
}
