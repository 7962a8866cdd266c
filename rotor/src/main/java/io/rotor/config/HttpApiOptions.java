package io.rotor.config;

/** {@code http_api}: the server API that backends publish through. */
public class HttpApiOptions {

  /** Empty: every API request is refused (unless insecure). */
  public static final String DEFAULT_KEY = "";
  public static final boolean DEFAULT_INSECURE = false;
  public static final String DEFAULT_HANDLER_PREFIX = "/api";

  private String key = DEFAULT_KEY;
  private boolean insecure = DEFAULT_INSECURE;
  private String handlerPrefix = DEFAULT_HANDLER_PREFIX;

  public String getKey() {
    return key;
  }

  public HttpApiOptions setKey(String key) {
    this.key = key;
    return this;
  }

  public boolean isInsecure() {
    return insecure;
  }

  public HttpApiOptions setInsecure(boolean insecure) {
    this.insecure = insecure;
    return this;
  }

  public String getHandlerPrefix() {
    return handlerPrefix;
  }

  public HttpApiOptions setHandlerPrefix(String handlerPrefix) {
    this.handlerPrefix = handlerPrefix;
    return this;
  }
}
