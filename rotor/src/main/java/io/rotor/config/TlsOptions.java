package io.rotor.config;

/**
 * Centrifugo's TLS object ({@code grpc_api.tls}, {@code consumers[i].postgresql.tls},
 * {@code consumers[i].redis_stream.tls}). A PEM value is a file path, the PEM text itself, or the
 * PEM text base64-encoded, as in Centrifugo. Which keys apply depends on the side: a server uses
 * {@code cert_pem}, {@code key_pem} and {@code client_ca_pem}; a client {@code server_ca_pem},
 * {@code insecure_skip_verify}, {@code server_name} and optionally a client certificate. The
 * validator refuses keys set on the wrong side rather than ignore them.
 */
public class TlsOptions {

  private boolean enabled = false;
  private String certPem = "";
  private String keyPem = "";
  private String serverCaPem = "";
  private String clientCaPem = "";
  private boolean insecureSkipVerify = false;
  private String serverName = "";

  public boolean isEnabled() {
    return enabled;
  }

  public TlsOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getCertPem() {
    return certPem;
  }

  public TlsOptions setCertPem(String certPem) {
    this.certPem = certPem;
    return this;
  }

  public String getKeyPem() {
    return keyPem;
  }

  public TlsOptions setKeyPem(String keyPem) {
    this.keyPem = keyPem;
    return this;
  }

  public String getServerCaPem() {
    return serverCaPem;
  }

  public TlsOptions setServerCaPem(String serverCaPem) {
    this.serverCaPem = serverCaPem;
    return this;
  }

  public String getClientCaPem() {
    return clientCaPem;
  }

  public TlsOptions setClientCaPem(String clientCaPem) {
    this.clientCaPem = clientCaPem;
    return this;
  }

  public boolean isInsecureSkipVerify() {
    return insecureSkipVerify;
  }

  public TlsOptions setInsecureSkipVerify(boolean insecureSkipVerify) {
    this.insecureSkipVerify = insecureSkipVerify;
    return this;
  }

  public String getServerName() {
    return serverName;
  }

  public TlsOptions setServerName(String serverName) {
    this.serverName = serverName;
    return this;
  }
}
