package io.rotor.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test keys and tokens. Key pairs are generated at test time with java.security (no private key is
 * ever committed); tokens are signed with vertx-auth-jwt, the library the node verifies with.
 */
public final class Jwts {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An EC key pair on secp256r1, secp384r1 or secp521r1. */
  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String publicPem(KeyPair kp) {
    return pem("PUBLIC KEY", kp.getPublic().getEncoded());
  }

  public static String privatePem(KeyPair kp) {
    return pem("PRIVATE KEY", kp.getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** A token signed with a private key (RS*, ES*), with a {@code kid} header when kid is not null. */
  public static String sign(Vertx vertx, KeyPair kp, String alg, String kid, Map<String, ?> claims) {
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(alg).setBuffer(privatePem(kp));
    if (kid != null) {
      key.setId(kid);
    }
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
    return auth.generateToken(new JsonObject(new java.util.HashMap<String, Object>(claims)), new JWTOptions().setAlgorithm(alg));
  }

  /** A token signed with an HMAC secret (HS256/384/512). */
  public static String hmac(Vertx vertx, String alg, String secret, Map<String, ?> claims) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(secret)));
    return auth.generateToken(new JsonObject(new java.util.HashMap<String, Object>(claims)), new JWTOptions().setAlgorithm(alg));
  }

  /**
   * A token with an arbitrary header, signed HMAC-SHA256 over the raw secret bytes: used to forge
   * attacks the library refuses to produce (alg none, HS256 keyed with an RSA public key).
   */
  public static String forge(String headerJson, Map<String, ?> claims, byte[] hmacKey) {
    String header = B64URL.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8));
    String payload = B64URL.encodeToString(new JsonObject(new java.util.HashMap<String, Object>(claims)).encode().getBytes(StandardCharsets.UTF_8));
    String input = header + "." + payload;
    if (hmacKey == null) {
      return input + ".";
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
      return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWK of an RSA or EC key pair. */
  public static JsonObject jwk(KeyPair kp, String kid) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig");
    if (kp.getPublic() instanceof RSAPublicKey r) {
      return jwk.put("kty", "RSA").put("n", unsigned(r.getModulus())).put("e", unsigned(r.getPublicExponent()));
    }
    ECPublicKey e = (ECPublicKey) kp.getPublic();
    int bits = e.getParams().getCurve().getField().getFieldSize();
    int size = (bits + 7) / 8;
    String crv = bits == 256 ? "P-256" : bits == 384 ? "P-384" : "P-521";
    return jwk.put("kty", "EC").put("crv", crv)
        .put("x", fixed(e.getW().getAffineX(), size)).put("y", fixed(e.getW().getAffineY(), size));
  }

  private static String unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b[0] == 0 && b.length > 1) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    return B64URL.encodeToString(b);
  }

  private static String fixed(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[size];
    int n = Math.min(b.length, size);
    System.arraycopy(b, b.length - n, out, size - n, n);
    return B64URL.encodeToString(out);
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
