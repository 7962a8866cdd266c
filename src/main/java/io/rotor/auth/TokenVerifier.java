package io.rotor.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies connection JWTs with vertx-auth-jwt (signature, algorithm) and applies the Centrifugo
 * claim rules on top. Expiry is checked here rather than by the library, because an expired token
 * must be told apart from an invalid one (error 109 lets the SDK fetch a fresh token).
 */
public final class TokenVerifier {

  private final JWTAuth jwt;

  private TokenVerifier(JWTAuth jwt) {
    this.jwt = jwt;
  }

  /** An HMAC verifier (HS256/384/512) for the secret; an empty secret accepts no token at all. */
  public static TokenVerifier hmac(Vertx vertx, String secret) {
    if (secret == null || secret.isEmpty()) {
      return new TokenVerifier(null);
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
    for (String alg : List.of("HS256", "HS384", "HS512")) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(secret));
    }
    return new TokenVerifier(JWTAuth.create(vertx, options));
  }

  public Future<ConnectToken> verifyConnect(String token) {
    return verify(token).map(TokenVerifier::connectClaims);
  }

  public Future<SubscribeToken> verifySubscribe(String token) {
    return verify(token).map(TokenVerifier::subscribeClaims);
  }

  private Future<JsonObject> verify(String token) {
    if (jwt == null) {
      return Future.failedFuture(new TokenException(TokenException.Kind.INVALID, "no token key configured"));
    }
    Future<JsonObject> claims;
    try {
      claims = jwt.authenticate(new TokenCredentials(token)).map(u -> u.attributes().getJsonObject("accessToken"));
    } catch (RuntimeException e) {
      return Future.failedFuture(new TokenException(TokenException.Kind.INVALID, String.valueOf(e.getMessage())));
    }
    return claims.recover(e -> Future.failedFuture(e instanceof TokenException ? e
        : new TokenException(TokenException.Kind.INVALID, String.valueOf(e.getMessage()))))
      .compose(TokenVerifier::checkTimes);
  }

  private static Future<JsonObject> checkTimes(JsonObject claims) {
    long now = System.currentTimeMillis() / 1000;
    try {
      Long exp = longClaim(claims, "exp");
      if (exp != null && exp <= now) {
        return Future.failedFuture(new TokenException(TokenException.Kind.EXPIRED, "token expired"));
      }
      Long nbf = longClaim(claims, "nbf");
      if (nbf != null && nbf > now) {
        return Future.failedFuture(new TokenException(TokenException.Kind.INVALID, "token not valid yet"));
      }
    } catch (ClassCastException e) {
      return Future.failedFuture(new TokenException(TokenException.Kind.INVALID, "bad time claim"));
    }
    return Future.succeededFuture(claims);
  }

  private static ConnectToken connectClaims(JsonObject claims) {
    try {
      if (claims.containsKey("channel")) {
        throw new TokenException(TokenException.Kind.INVALID, "connection token has a channel claim");
      }
      Object sub = claims.getValue("sub");
      if (sub != null && !(sub instanceof String)) {
        throw new TokenException(TokenException.Kind.INVALID, "sub is not a string");
      }
      Long exp = longClaim(claims, "exp");
      Long expireAt = longClaim(claims, "expire_at");
      long connectionExpiry = expireAt != null ? expireAt : exp != null ? exp : 0;
      byte[] infoBytes = rawClaim(claims, "info");
      List<String> channels = new ArrayList<>();
      JsonArray arr = claims.getJsonArray("channels");
      if (arr != null) {
        for (Object c : arr) {
          if (!(c instanceof String s)) {
            throw new TokenException(TokenException.Kind.INVALID, "channels must be strings");
          }
          channels.add(s);
        }
      }
      return new ConnectToken(sub == null ? "" : (String) sub, connectionExpiry, infoBytes, List.copyOf(channels));
    } catch (ClassCastException e) {
      throw new TokenException(TokenException.Kind.INVALID, "bad claim type");
    }
  }

  private static SubscribeToken subscribeClaims(JsonObject claims) {
    try {
      String channel = claims.getString("channel");
      if (channel == null || channel.isEmpty()) {
        throw new TokenException(TokenException.Kind.INVALID, "subscription token without channel");
      }
      Long exp = longClaim(claims, "exp");
      Long expireAt = longClaim(claims, "expire_at");
      return new SubscribeToken(claims.getString("sub", ""), channel,
          expireAt != null ? expireAt : exp != null ? exp : 0,
          rawClaim(claims, "info"), rawClaim(claims, "data"));
    } catch (ClassCastException e) {
      throw new TokenException(TokenException.Kind.INVALID, "bad claim type");
    }
  }

  private static byte[] rawClaim(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    return v == null ? null : Json.encode(v).getBytes(StandardCharsets.UTF_8);
  }

  private static Long longClaim(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new ClassCastException(name);
  }
}
