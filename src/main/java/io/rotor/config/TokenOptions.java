package io.rotor.config;

/** {@code client.token}: how connection and subscription JWTs are verified. */
public class TokenOptions {

  private String hmacSecretKey = "";

  public String getHmacSecretKey() {
    return hmacSecretKey;
  }

  public TokenOptions setHmacSecretKey(String hmacSecretKey) {
    this.hmacSecretKey = hmacSecretKey;
    return this;
  }
}
