package io.rotor.config;

/** {@code emulation}: the {@code /emulation} endpoint that http_stream and sse clients POST commands to. */
public class EmulationOptions {

  public static final int DEFAULT_MAX_REQUEST_BODY_SIZE = 65536;

  private int maxRequestBodySize = DEFAULT_MAX_REQUEST_BODY_SIZE;

  public int getMaxRequestBodySize() {
    return maxRequestBodySize;
  }

  public EmulationOptions setMaxRequestBodySize(int maxRequestBodySize) {
    this.maxRequestBodySize = maxRequestBodySize;
    return this;
  }
}
