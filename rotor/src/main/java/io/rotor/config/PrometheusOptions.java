package io.rotor.config;

/** {@code prometheus}: the {@code /metrics} endpoint. */
public class PrometheusOptions {

  private boolean enabled;
  private boolean channelNamespaceResolution;

  public boolean isEnabled() {
    return enabled;
  }

  public PrometheusOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  /**
   * Centrifugo PRO's {@code channel_namespace_resolution}: the {@code channel_namespace} label of
   * channel meters holds the channel's configured namespace (off: always empty, as in Centrifugo OSS).
   */
  public boolean isChannelNamespaceResolution() {
    return channelNamespaceResolution;
  }

  public PrometheusOptions setChannelNamespaceResolution(boolean channelNamespaceResolution) {
    this.channelNamespaceResolution = channelNamespaceResolution;
    return this;
  }
}
