package io.rotor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made at test time with the JDK's keytool (no files checked
 * in, nothing to expire): node certificates it signs, as PEM files and as PKCS#12 stores. Keytool
 * makes and signs the keys; the JDK's KeyStore API does the rest (fewer tool start-ups).
 */
public final class TestCerts {

  public static final String PASSWORD = "test-store-pass";

  private final Path dir;
  private final String name;

  /** A node's files: certificate chain and PKCS#8 key (PEM), the same as a PKCS#12 key store. */
  public record NodeCert(Path certPem, Path keyPem, Path keyStore) {
  }

  private TestCerts(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** A new self-signed CA called {@code name} whose files live in {@code dir}. */
  public static TestCerts authority(Path dir, String name) {
    TestCerts ca = new TestCerts(dir, name);
    ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c", "-validity", "2", "-keystore", ca.file("ca.p12"), "-storetype", "PKCS12",
        "-storepass", PASSWORD);
    try {
      Certificate caCert = load(Path.of(ca.file("ca.p12"))).getCertificate("ca");
      Files.writeString(ca.caPem(), pem("CERTIFICATE", caCert.getEncoded()));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCert);
      store(trust, ca.trustStore());
      return ca;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate, PEM: what {@code cluster.tls.ca_pem_file} points to. */
  public Path caPem() {
    return dir.resolve(name + "-ca.pem");
  }

  /** A PKCS#12 trust store holding only the CA certificate. */
  public Path trustStore() {
    return dir.resolve(name + "-trust.p12");
  }

  /** A node key and a certificate for it signed by this CA (for server and client use, SAN 127.0.0.1). */
  public NodeCert issue(String node) {
    Path store = Path.of(file(node + ".p12"));
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + node,
        "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-certreq", "-alias", "node", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", file(node + ".csr"));
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", file("ca.p12"), "-storepass", PASSWORD,
        "-infile", file(node + ".csr"), "-outfile", file(node + "-signed.pem"), "-validity", "2",
        "-ext", "eku=serverAuth,clientAuth", "-ext", "san=ip:127.0.0.1");
    try {
      // The signed certificate and the CA's replace the self-signed one: the chain a peer checks.
      KeyStore ks = load(store);
      Key key = ks.getKey("node", PASSWORD.toCharArray());
      Certificate signed;
      try (InputStream in = Files.newInputStream(Path.of(file(node + "-signed.pem")))) {
        signed = CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      Certificate caCert = load(Path.of(file("ca.p12"))).getCertificate("ca");
      ks.setKeyEntry("node", key, PASSWORD.toCharArray(), new Certificate[] {signed, caCert});
      store(ks, store);
      Path cert = Path.of(file(node + "-chain.pem"));
      Path keyPem = Path.of(file(node + "-key.pem"));
      Files.writeString(cert, pem("CERTIFICATE", signed.getEncoded()) + pem("CERTIFICATE", caCert.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
      return new NodeCert(cert, keyPem, store);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static void store(KeyStore ks, Path file) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD.toCharArray());
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private String file(String suffix) {
    return dir.resolve(name + "-" + suffix).toString();
  }

  private void keytool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived tool: quick start-up beats peak speed.
    cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
