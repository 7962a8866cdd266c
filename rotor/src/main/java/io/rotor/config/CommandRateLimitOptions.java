package io.rotor.config;

import java.time.Duration;

/**
 * {@code client.rate_limit.client_command}: a token bucket of {@code rate} commands per
 * {@code interval} for each connection (pongs are free). Over it: error 111; a full bucket's worth
 * of refused commands in a row: disconnect 3013.
 */
public class CommandRateLimitOptions {

  public static final boolean DEFAULT_ENABLED = false;
  public static final int DEFAULT_RATE = 100;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private boolean enabled = DEFAULT_ENABLED;
  private int rate = DEFAULT_RATE;
  private Duration interval = DEFAULT_INTERVAL;

  public boolean isEnabled() {
    return enabled;
  }

  public CommandRateLimitOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int getRate() {
    return rate;
  }

  public CommandRateLimitOptions setRate(int rate) {
    this.rate = rate;
    return this;
  }

  public Duration getInterval() {
    return interval;
  }

  public CommandRateLimitOptions setInterval(Duration interval) {
    this.interval = interval;
    return this;
  }
}
