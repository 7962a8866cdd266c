package io.rotor.admin;

import io.rotor.config.AdminOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Admin login: the password is compared in constant time, a successful login gets an HS256 session
 * token signed with {@code admin.secret}, and every admin API call must carry a valid one. The
 * token's audience keeps connection tokens out even when an operator reuses one secret for both.
 */
final class AdminAuth {

  static final int SESSION_TTL_SECONDS = 12 * 3600;
  private static final String AUDIENCE = "rotor-admin";

  private final boolean insecure;
  private final byte[] passwordDigest;
  private final JWTAuth jwt;

  AdminAuth(Vertx vertx, AdminOptions options) {
    this.insecure = options.isInsecure();
    this.passwordDigest = sha256(options.getPassword());
    this.jwt = options.getSecret().isEmpty() ? null : JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(options.getSecret()))
        .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE))));
  }

  /** A session token for the right password, null for a wrong one. */
  String login(String password) {
    if (insecure) {
      return "insecure";
    }
    // Digests have one length, so the comparison time tells nothing about the password either.
    if (password == null || jwt == null || !MessageDigest.isEqual(passwordDigest, sha256(password))) {
      return null;
    }
    return jwt.generateToken(new JsonObject().put("sub", "admin"), new JWTOptions()
        .setAlgorithm("HS256")
        .setAudience(List.of(AUDIENCE))
        .setExpiresInSeconds(SESSION_TTL_SECONDS));
  }

  /** Succeeds for a valid, unexpired session token ({@code Authorization: Bearer ...}). */
  Future<Void> check(String authorization) {
    if (insecure) {
      return Future.succeededFuture();
    }
    if (jwt == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture("no admin token");
    }
    try {
      return jwt.authenticate(new TokenCredentials(authorization.substring(7).trim())).mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
