package io.rotor.config;

import java.time.Duration;

/** {@code health}: the end-to-end liveness probe behind {@code /health} and {@code /ready}. */
public class HealthOptions {

  public static final Duration DEFAULT_LIVENESS_PROBE_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LIVENESS_PROBE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_LIVENESS_PROBE_FAILURES = 2;
  public static final Duration DEFAULT_LIVENESS_PROBE_OVERLOAD_LAG = Duration.ofSeconds(1);

  /** How often the node publishes to its probe channel and expects it back; 0 turns the probe off. */
  private Duration livenessProbeInterval = DEFAULT_LIVENESS_PROBE_INTERVAL;
  /** How long one probe may take. */
  private Duration livenessProbeTimeout = DEFAULT_LIVENESS_PROBE_TIMEOUT;
  /** Consecutive failed probes that make the node degraded. */
  private int livenessProbeFailures = DEFAULT_LIVENESS_PROBE_FAILURES;
  /**
   * A probe missed while some event loop ran at least this late is overload, not a silent fault:
   * it is reported but not counted, so load never turns into a mass disconnect. 0 counts every miss.
   */
  private Duration livenessProbeOverloadLag = DEFAULT_LIVENESS_PROBE_OVERLOAD_LAG;

  public Duration getLivenessProbeInterval() {
    return livenessProbeInterval;
  }

  public HealthOptions setLivenessProbeInterval(Duration livenessProbeInterval) {
    this.livenessProbeInterval = livenessProbeInterval;
    return this;
  }

  public Duration getLivenessProbeTimeout() {
    return livenessProbeTimeout;
  }

  public HealthOptions setLivenessProbeTimeout(Duration livenessProbeTimeout) {
    this.livenessProbeTimeout = livenessProbeTimeout;
    return this;
  }

  public int getLivenessProbeFailures() {
    return livenessProbeFailures;
  }

  public HealthOptions setLivenessProbeFailures(int livenessProbeFailures) {
    this.livenessProbeFailures = livenessProbeFailures;
    return this;
  }

  public Duration getLivenessProbeOverloadLag() {
    return livenessProbeOverloadLag;
  }

  public HealthOptions setLivenessProbeOverloadLag(Duration livenessProbeOverloadLag) {
    this.livenessProbeOverloadLag = livenessProbeOverloadLag;
    return this;
  }
}
