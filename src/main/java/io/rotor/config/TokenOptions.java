package io.rotor.config;

/** {@code client.token}: how connection and subscription JWTs are verified. */
public class TokenOptions {

  /** Empty: no HMAC key, so every connection token is rejected. */
  public static final String DEFAULT_HMAC_SECRET_KEY = "";

  private String hmacSecretKey = DEFAULT_HMAC_SECRET_KEY;

  public String getHmacSecretKey() {
    return hmacSecretKey;
  }

  public TokenOptions setHmacSecretKey(String hmacSecretKey) {
    this.hmacSecretKey = hmacSecretKey;
    return this;
  }
}
