package io.rotor.config;

/**
 * {@code http_server}: where the node listens. Not Vert.x's {@code io.vertx.core.http.HttpServerOptions}:
 * import one of the two qualified.
 */
public class HttpServerOptions {

  /** All interfaces; an empty address means the same. */
  public static final String DEFAULT_ADDRESS = "0.0.0.0";
  /** 0 picks a free port (tests use it). */
  public static final int DEFAULT_PORT = 8000;

  private String address = DEFAULT_ADDRESS;
  private int port = DEFAULT_PORT;

  public String getAddress() {
    return address;
  }

  public HttpServerOptions setAddress(String address) {
    this.address = address;
    return this;
  }

  public int getPort() {
    return port;
  }

  public HttpServerOptions setPort(int port) {
    this.port = port;
    return this;
  }
}
