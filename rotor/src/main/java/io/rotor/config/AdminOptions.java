package io.rotor.config;

/** {@code admin}: the admin web UI. */
public class AdminOptions {

  public static final String DEFAULT_HANDLER_PREFIX = "/admin";

  private boolean enabled;
  /** The password to log in with. */
  private String password = "";
  /** Signs the admin session tokens. */
  private String secret = "";
  /** No login at all: only behind a firewall. */
  private boolean insecure;
  private String handlerPrefix = DEFAULT_HANDLER_PREFIX;

  public boolean isEnabled() {
    return enabled;
  }

  public AdminOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getPassword() {
    return password;
  }

  public AdminOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public String getSecret() {
    return secret;
  }

  public AdminOptions setSecret(String secret) {
    this.secret = secret;
    return this;
  }

  public boolean isInsecure() {
    return insecure;
  }

  public AdminOptions setInsecure(boolean insecure) {
    this.insecure = insecure;
    return this;
  }

  public String getHandlerPrefix() {
    return handlerPrefix;
  }

  public AdminOptions setHandlerPrefix(String handlerPrefix) {
    this.handlerPrefix = handlerPrefix;
    return this;
  }
}
