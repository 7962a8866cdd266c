package io.rotor.config;

/** {@code http_api}: the server API that backends publish through. */
public class HttpApiOptions {

  public static final String DEFAULT_HANDLER_PREFIX = "/api";

  private String key = "";
  private boolean insecure;
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
