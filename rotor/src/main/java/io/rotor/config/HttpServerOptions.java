package io.rotor.config;

import java.time.Duration;

/**
 * {@code http_server}: where the node listens. Not Vert.x's {@code io.vertx.core.http.HttpServerOptions}:
 * import one of the two qualified.
 */
public class HttpServerOptions {

  /** All interfaces; an empty address means the same. */
  public static final String DEFAULT_ADDRESS = "0.0.0.0";
  /** 0 picks a free port (tests use it). */
  public static final int DEFAULT_PORT = 8000;

  /** 0: no internal port, the server API is served on {@code port}. */
  public static final int DEFAULT_INTERNAL_PORT = 0;
  /** Empty: the same interface as {@code address}. */
  public static final String DEFAULT_INTERNAL_ADDRESS = "";

  public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(1);

  /** {@code auto}: io_uring where the kernel allows it, else epoll, else NIO (see {@code server.IoTransport}). */
  public static final String DEFAULT_IO_TRANSPORT = "auto";

  private String address = DEFAULT_ADDRESS;
  private String ioTransport = DEFAULT_IO_TRANSPORT;
  /**
   * A request whose headers are incomplete this long after it started (the connect for the first
   * request, its first byte for a later keep-alive one) closes its connection (slowloris).
   */
  private Duration readHeaderTimeout = DEFAULT_READ_HEADER_TIMEOUT;
  /**
   * A request not read in full (body included) this long after it started closes its connection;
   * an idle keep-alive connection has no deadline.
   */
  private Duration readTimeout = DEFAULT_READ_TIMEOUT;
  private int port = DEFAULT_PORT;
  /** When set, the server API is served only here (keep it on a private interface). */
  private int internalPort = DEFAULT_INTERNAL_PORT;
  private String internalAddress = DEFAULT_INTERNAL_ADDRESS;

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

  public int getInternalPort() {
    return internalPort;
  }

  public HttpServerOptions setInternalPort(int internalPort) {
    this.internalPort = internalPort;
    return this;
  }

  public String getInternalAddress() {
    return internalAddress;
  }

  public HttpServerOptions setInternalAddress(String internalAddress) {
    this.internalAddress = internalAddress;
    return this;
  }

  public Duration getReadHeaderTimeout() {
    return readHeaderTimeout;
  }

  public HttpServerOptions setReadHeaderTimeout(Duration readHeaderTimeout) {
    this.readHeaderTimeout = readHeaderTimeout;
    return this;
  }

  public String getIoTransport() {
    return ioTransport;
  }

  public HttpServerOptions setIoTransport(String ioTransport) {
    this.ioTransport = ioTransport;
    return this;
  }

  public Duration getReadTimeout() {
    return readTimeout;
  }

  public HttpServerOptions setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
    return this;
  }
}
