package io.rotor.config;

/** {@code client.proxy.connect} and {@code client.proxy.refresh}: a proxy with an on switch. */
public class SwitchedProxyOptions extends ProxyOptions {

  private boolean enabled;

  public boolean isEnabled() {
    return enabled;
  }

  public SwitchedProxyOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }
}
