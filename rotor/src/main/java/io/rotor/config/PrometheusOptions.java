package io.rotor.config;

/** {@code prometheus}: the {@code /metrics} endpoint. */
public class PrometheusOptions {

  private boolean enabled;

  public boolean isEnabled() {
    return enabled;
  }

  public PrometheusOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }
}
