package io.rotor.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.List;

/** Calls vertx-auth-jwt and turns whatever it reports into {@link TokenException}s. */
final class Jwt {

  private Jwt() {
  }

  /**
   * Library options: expiry is checked by the verifier (an expired token must be told apart from
   * an invalid one), audience and issuer by the library when configured.
   */
  static JWTOptions options(String audience, String issuer) {
    JWTOptions o = new JWTOptions().setIgnoreExpiration(true);
    if (!audience.isEmpty()) {
      o.setAudience(List.of(audience));
    }
    if (!issuer.isEmpty()) {
      o.setIssuer(issuer);
    }
    return o;
  }

  static Future<JsonObject> claims(JWTAuth auth, String token) {
    if (!signed(token)) {
      // vertx-auth-jwt verifies nothing when it holds no key ("unsecured mode") and then accepts
      // unsigned tokens: never let one reach it.
      return Future.failedFuture(new TokenException(TokenException.Kind.INVALID, "token is not signed"));
    }
    try {
      return auth.authenticate(new TokenCredentials(token))
          .map(u -> u.attributes().getJsonObject("accessToken"))
          .recover(e -> Future.failedFuture(invalid(e)));
    } catch (RuntimeException e) {
      return Future.failedFuture(invalid(e));
    }
  }

  /** Three non-empty dot-separated parts: header, payload, signature. */
  static boolean signed(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && second < token.length() - 1 && token.indexOf('.', second + 1) < 0;
  }

  /** True when the library found no key for the token's algorithm and kid. */
  static boolean unknownKey(Throwable e) {
    return e instanceof TokenException t && t.getCause() instanceof NoSuchKeyIdException;
  }

  private static TokenException invalid(Throwable e) {
    return e instanceof TokenException t ? t : new TokenException(TokenException.Kind.INVALID, String.valueOf(e.getMessage()), e);
  }
}
