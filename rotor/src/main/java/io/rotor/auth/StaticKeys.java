package io.rotor.auth;

import io.rotor.config.TokenOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Instant;
import java.util.List;

/**
 * Keys from the config: the HMAC secret for HS256/384/512, the RSA key for RS256/384/512, the ECDSA
 * key for the ES algorithm of its curve. The library files each key under its algorithm, so a token
 * is only ever checked with a key of its own family (an HS token signed with the RSA public key
 * finds the HMAC secret, or nothing). A previous HMAC secret is accepted until its deadline.
 */
final class StaticKeys implements KeySet {

  private static final List<String> HMAC = List.of("HS256", "HS384", "HS512");

  private final JWTAuth current;
  private final JWTAuth previous;
  private final Instant previousValidUntil;

  StaticKeys(Vertx vertx, TokenOptions o) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(Jwt.options(o.getAudience(), o.getIssuer()));
    addHmac(options, o.getHmacSecretKey());
    if (!o.getRsaPublicKey().isEmpty()) {
      PublicKeys.parse(o.getRsaPublicKey(), "RSA");
      for (String alg : PublicKeys.rsaAlgorithms()) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(o.getRsaPublicKey()));
      }
    }
    if (!o.getEcdsaPublicKey().isEmpty()) {
      String alg = PublicKeys.ecdsaAlgorithm(PublicKeys.parse(o.getEcdsaPublicKey(), "EC"));
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(o.getEcdsaPublicKey()));
    }
    this.current = options.getPubSecKeys() == null || options.getPubSecKeys().isEmpty() ? null : JWTAuth.create(vertx, options);
    if (!o.getHmacPreviousSecretKey().isEmpty() && !o.getHmacPreviousSecretKeyValidUntil().isEmpty()) {
      JWTAuthOptions prev = new JWTAuthOptions().setJWTOptions(Jwt.options(o.getAudience(), o.getIssuer()));
      addHmac(prev, o.getHmacPreviousSecretKey());
      this.previous = JWTAuth.create(vertx, prev);
      this.previousValidUntil = Instant.parse(o.getHmacPreviousSecretKeyValidUntil());
    } else {
      this.previous = null;
      this.previousValidUntil = Instant.MIN;
    }
  }

  private static void addHmac(JWTAuthOptions options, String secret) {
    if (!secret.isEmpty()) {
      for (String alg : HMAC) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(secret));
      }
    }
  }

  @Override
  public Future<JsonObject> verify(String token) {
    if (current == null && previous == null) {
      return Future.failedFuture(new TokenException(TokenException.Kind.INVALID, "no token key configured"));
    }
    Future<JsonObject> first = current == null
        ? Future.failedFuture(new TokenException(TokenException.Kind.INVALID, "no current key"))
        : Jwt.claims(current, token);
    if (previous == null) {
      return first;
    }
    return first.recover(e -> Instant.now().isBefore(previousValidUntil)
        ? Jwt.claims(previous, token).recover(ignored -> Future.failedFuture(e))
        : Future.failedFuture(e));
  }
}
