package io.rotor.config;

/**
 * {@code client.token} (and {@code client.subscription_token}): how JWTs are verified. Each
 * algorithm family has its own key: HMAC secrets verify only HS256/384/512, the RSA key only
 * RS256/384/512, the ECDSA key only the ES algorithm of its curve. A JWKS endpoint, when set, is
 * used for every token.
 */
public class TokenOptions {

  /** Empty: no HMAC key, so no HS token verifies. */
  public static final String DEFAULT_HMAC_SECRET_KEY = "";
  public static final String DEFAULT_HMAC_PREVIOUS_SECRET_KEY = "";
  /** Empty: the previous HMAC key is not accepted. */
  public static final String DEFAULT_HMAC_PREVIOUS_SECRET_KEY_VALID_UNTIL = "";
  public static final String DEFAULT_RSA_PUBLIC_KEY = "";
  public static final String DEFAULT_ECDSA_PUBLIC_KEY = "";
  public static final String DEFAULT_JWKS_PUBLIC_ENDPOINT = "";
  /** Empty: {@code aud} is not checked. */
  public static final String DEFAULT_AUDIENCE = "";
  public static final String DEFAULT_AUDIENCE_REGEX = "";
  /** Empty: {@code iss} is not checked. */
  public static final String DEFAULT_ISSUER = "";
  public static final String DEFAULT_ISSUER_REGEX = "";

  private String hmacSecretKey = DEFAULT_HMAC_SECRET_KEY;
  /** The key being rotated out: still accepted until {@link #hmacPreviousSecretKeyValidUntil}. */
  private String hmacPreviousSecretKey = DEFAULT_HMAC_PREVIOUS_SECRET_KEY;
  /** RFC 3339 instant ({@code 2026-01-31T00:00:00Z}) after which the previous HMAC key is refused. */
  private String hmacPreviousSecretKeyValidUntil = DEFAULT_HMAC_PREVIOUS_SECRET_KEY_VALID_UNTIL;
  /** PEM public key for RS256/384/512. */
  private String rsaPublicKey = DEFAULT_RSA_PUBLIC_KEY;
  /** PEM public key for the ES algorithm of its curve (P-256: ES256, P-384: ES384, P-521: ES512). */
  private String ecdsaPublicKey = DEFAULT_ECDSA_PUBLIC_KEY;
  /** URL of a JWKS; keys are picked by {@code kid}. */
  private String jwksPublicEndpoint = DEFAULT_JWKS_PUBLIC_ENDPOINT;
  private String audience = DEFAULT_AUDIENCE;
  private String audienceRegex = DEFAULT_AUDIENCE_REGEX;
  private String issuer = DEFAULT_ISSUER;
  private String issuerRegex = DEFAULT_ISSUER_REGEX;

  public String getHmacSecretKey() {
    return hmacSecretKey;
  }

  public TokenOptions setHmacSecretKey(String hmacSecretKey) {
    this.hmacSecretKey = hmacSecretKey;
    return this;
  }

  public String getHmacPreviousSecretKey() {
    return hmacPreviousSecretKey;
  }

  public TokenOptions setHmacPreviousSecretKey(String hmacPreviousSecretKey) {
    this.hmacPreviousSecretKey = hmacPreviousSecretKey;
    return this;
  }

  public String getHmacPreviousSecretKeyValidUntil() {
    return hmacPreviousSecretKeyValidUntil;
  }

  public TokenOptions setHmacPreviousSecretKeyValidUntil(String hmacPreviousSecretKeyValidUntil) {
    this.hmacPreviousSecretKeyValidUntil = hmacPreviousSecretKeyValidUntil;
    return this;
  }

  public String getRsaPublicKey() {
    return rsaPublicKey;
  }

  public TokenOptions setRsaPublicKey(String rsaPublicKey) {
    this.rsaPublicKey = rsaPublicKey;
    return this;
  }

  public String getEcdsaPublicKey() {
    return ecdsaPublicKey;
  }

  public TokenOptions setEcdsaPublicKey(String ecdsaPublicKey) {
    this.ecdsaPublicKey = ecdsaPublicKey;
    return this;
  }

  public String getJwksPublicEndpoint() {
    return jwksPublicEndpoint;
  }

  public TokenOptions setJwksPublicEndpoint(String jwksPublicEndpoint) {
    this.jwksPublicEndpoint = jwksPublicEndpoint;
    return this;
  }

  public String getAudience() {
    return audience;
  }

  public TokenOptions setAudience(String audience) {
    this.audience = audience;
    return this;
  }

  public String getAudienceRegex() {
    return audienceRegex;
  }

  public TokenOptions setAudienceRegex(String audienceRegex) {
    this.audienceRegex = audienceRegex;
    return this;
  }

  public String getIssuer() {
    return issuer;
  }

  public TokenOptions setIssuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  public String getIssuerRegex() {
    return issuerRegex;
  }

  public TokenOptions setIssuerRegex(String issuerRegex) {
    this.issuerRegex = issuerRegex;
    return this;
  }
}
