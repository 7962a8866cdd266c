package io.rotor.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM public keys of the config with the JDK's key factories, to refuse a bad key at
 * startup and to bind an ECDSA key to the one algorithm its curve allows.
 */
public final class PublicKeys {

  private PublicKeys() {
  }

  /** Parses a PEM {@code PUBLIC KEY} of the given type ("RSA" or "EC"); throws with a clear message. */
  public static PublicKey parse(String pem, String type) {
    String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM " + type + " public key (" + e.getMessage() + ")", e);
    }
  }

  /** The RSA signature algorithms; any RSA key may sign with each. */
  public static List<String> rsaAlgorithms() {
    return List.of("RS256", "RS384", "RS512");
  }

  /** The one ES algorithm of an ECDSA key's curve (P-256: ES256, P-384: ES384, P-521: ES512). */
  public static String ecdsaAlgorithm(PublicKey key) {
    int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
    return switch (bits) {
      case 256 -> "ES256";
      case 384 -> "ES384";
      case 521 -> "ES512";
      default -> throw new IllegalArgumentException("unsupported ECDSA curve of " + bits + " bits");
    };
  }

  /** The ES algorithm of a JWK curve name, or null. */
  static String ecdsaAlgorithm(String crv) {
    return crv == null ? null : switch (crv) {
      case "P-256" -> "ES256";
      case "P-384" -> "ES384";
      case "P-521" -> "ES512";
      default -> null;
    };
  }
}
