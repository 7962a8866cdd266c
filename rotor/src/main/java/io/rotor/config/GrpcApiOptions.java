package io.rotor.config;

/**
 * {@code grpc_api}: the server API over gRPC with Centrifugo v6's schema, on its own port. With a
 * {@code key}, every call must carry the metadata {@code authorization: apikey <key>}.
 */
public class GrpcApiOptions {

  public static final int DEFAULT_PORT = 10000;
  /** {@code error_mode} values: {@code ""} answers API errors in the response's error field. */
  public static final String ERROR_MODE_TRANSPORT = "transport";

  private boolean enabled = false;
  private String errorMode = "";
  private String address = "";
  private int port = DEFAULT_PORT;
  private String key = "";
  private TlsOptions tls = new TlsOptions();
  /** Bytes; 0 keeps gRPC's default (4 MiB). */
  private int maxReceiveMessageSize = 0;

  public boolean isEnabled() {
    return enabled;
  }

  public GrpcApiOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getErrorMode() {
    return errorMode;
  }

  public GrpcApiOptions setErrorMode(String errorMode) {
    this.errorMode = errorMode;
    return this;
  }

  public String getAddress() {
    return address;
  }

  public GrpcApiOptions setAddress(String address) {
    this.address = address;
    return this;
  }

  public int getPort() {
    return port;
  }

  public GrpcApiOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getKey() {
    return key;
  }

  public GrpcApiOptions setKey(String key) {
    this.key = key;
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  public GrpcApiOptions setTls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  public int getMaxReceiveMessageSize() {
    return maxReceiveMessageSize;
  }

  public GrpcApiOptions setMaxReceiveMessageSize(int maxReceiveMessageSize) {
    this.maxReceiveMessageSize = maxReceiveMessageSize;
    return this;
  }
}
