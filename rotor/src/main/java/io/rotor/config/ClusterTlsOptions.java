package io.rotor.config;

/**
 * {@code cluster.tls}: TLS on the clustered event bus with explicit trust. Each node presents its
 * own certificate (PEM pair or a key store) and accepts only peers whose certificate chains to the
 * configured CA (PEM or trust store), in both directions: a node without such a certificate can
 * neither send to nor receive from the others. Key names follow Centrifugo's TLS object
 * ({@code cert_pem_file}, {@code key_pem_file}); the trust and key-store keys are Rotor's own.
 */
public class ClusterTlsOptions {

  public static final boolean DEFAULT_ENABLED = false;

  private boolean enabled = DEFAULT_ENABLED;
  /** This node's certificate chain, PEM. */
  private String certPemFile = "";
  /** The private key of {@link #certPemFile}, PEM (PKCS#8 or PKCS#1). */
  private String keyPemFile = "";
  /** The CA certificate(s), PEM, that peers' certificates must chain to. */
  private String caPemFile = "";
  /** Alternative to the PEM pair: a PKCS#12 ({@code .jks}: JKS) key store holding this node's key and chain. */
  private String keyStoreFile = "";
  private String keyStorePassword = "";
  /** Alternative to {@link #caPemFile}: a PKCS#12 ({@code .jks}: JKS) trust store with the CA certificate(s). */
  private String trustStoreFile = "";
  private String trustStorePassword = "";

  public boolean isEnabled() {
    return enabled;
  }

  public ClusterTlsOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getCertPemFile() {
    return certPemFile;
  }

  public ClusterTlsOptions setCertPemFile(String certPemFile) {
    this.certPemFile = certPemFile;
    return this;
  }

  public String getKeyPemFile() {
    return keyPemFile;
  }

  public ClusterTlsOptions setKeyPemFile(String keyPemFile) {
    this.keyPemFile = keyPemFile;
    return this;
  }

  public String getCaPemFile() {
    return caPemFile;
  }

  public ClusterTlsOptions setCaPemFile(String caPemFile) {
    this.caPemFile = caPemFile;
    return this;
  }

  public String getKeyStoreFile() {
    return keyStoreFile;
  }

  public ClusterTlsOptions setKeyStoreFile(String keyStoreFile) {
    this.keyStoreFile = keyStoreFile;
    return this;
  }

  public String getKeyStorePassword() {
    return keyStorePassword;
  }

  public ClusterTlsOptions setKeyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword;
    return this;
  }

  public String getTrustStoreFile() {
    return trustStoreFile;
  }

  public ClusterTlsOptions setTrustStoreFile(String trustStoreFile) {
    this.trustStoreFile = trustStoreFile;
    return this;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public ClusterTlsOptions setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
    return this;
  }
}
