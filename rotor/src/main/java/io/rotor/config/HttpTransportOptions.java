package io.rotor.config;

/**
 * An HTTP-based transport that is off unless enabled: {@code http_stream}, {@code sse},
 * {@code uni_http_stream}, {@code uni_sse}. The connect request body (or {@code cf_connect}) may be
 * at most {@code max_request_body_size} bytes.
 */
public class HttpTransportOptions {

  public static final boolean DEFAULT_ENABLED = false;
  public static final int DEFAULT_MAX_REQUEST_BODY_SIZE = 65536;

  private boolean enabled = DEFAULT_ENABLED;
  private int maxRequestBodySize = DEFAULT_MAX_REQUEST_BODY_SIZE;

  public boolean isEnabled() {
    return enabled;
  }

  public HttpTransportOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int getMaxRequestBodySize() {
    return maxRequestBodySize;
  }

  public HttpTransportOptions setMaxRequestBodySize(int maxRequestBodySize) {
    this.maxRequestBodySize = maxRequestBodySize;
    return this;
  }
}
