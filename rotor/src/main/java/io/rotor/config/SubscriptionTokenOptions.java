package io.rotor.config;

/**
 * {@code client.subscription_token}: when {@code enabled}, subscription tokens are verified with
 * these keys instead of {@code client.token}'s.
 */
public class SubscriptionTokenOptions extends TokenOptions {

  public static final boolean DEFAULT_ENABLED = false;

  private boolean enabled = DEFAULT_ENABLED;

  public boolean isEnabled() {
    return enabled;
  }

  public SubscriptionTokenOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }
}
