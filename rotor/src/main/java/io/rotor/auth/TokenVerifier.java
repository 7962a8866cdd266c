package io.rotor.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.config.TokenOptions;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Verifies connection and subscription JWTs: signature, algorithm and key through vertx-auth-jwt
 * ({@link StaticKeys} or {@link JwksKeys}), then the Centrifugo claim rules. Expiry is checked here
 * rather than by the library, because an expired token must be told apart from an invalid one
 * (error 109 lets the SDK fetch a fresh token); {@code nbf} in the future makes a token invalid.
 */
public final class TokenVerifier {

  private final KeySet keys;
  private final Pattern audienceRegex;
  private final Pattern issuerRegex;

  private TokenVerifier(KeySet keys, TokenOptions options) {
    this.keys = keys;
    this.audienceRegex = regex(options.getAudienceRegex());
    this.issuerRegex = regex(options.getIssuerRegex());
  }

  /** A verifier for the configured keys; throws IllegalArgumentException for an unusable key. */
  public static TokenVerifier create(Vertx vertx, TokenOptions options) {
    return create(vertx, options, JwksKeys.MIN_REFETCH_INTERVAL);
  }

  /** With the shortest time between two JWKS fetches caused by unknown kids (tests shorten it). */
  static TokenVerifier create(Vertx vertx, TokenOptions options, java.time.Duration jwksMinRefetch) {
    KeySet keys = options.getJwksPublicEndpoint().isEmpty()
        ? new StaticKeys(vertx, options)
        : new JwksKeys(vertx, options.getJwksPublicEndpoint(),
            Jwt.options(options.getAudience(), options.getIssuer()), jwksMinRefetch);
    return new TokenVerifier(keys, options);
  }

  /** An HMAC-only verifier (HS256/384/512); an empty secret accepts no token at all. */
  public static TokenVerifier hmac(Vertx vertx, String secret) {
    return create(vertx, new TokenOptions().setHmacSecretKey(secret == null ? "" : secret));
  }

  private static Pattern regex(String r) {
    return r == null || r.isEmpty() ? null : Pattern.compile(r);
  }

  public Future<ConnectToken> verifyConnect(String token) {
    return verify(token).map(TokenVerifier::connectClaims);
  }

  public Future<SubscribeToken> verifySubscribe(String token) {
    return verify(token).map(TokenVerifier::subscribeClaims);
  }

  private Future<JsonObject> verify(String token) {
    Future<JsonObject> claims;
    try {
      claims = keys.verify(token);
    } catch (RuntimeException e) {
      claims = Future.failedFuture(invalid(String.valueOf(e.getMessage())));
    }
    return claims.compose(this::checkClaims);
  }

  private Future<JsonObject> checkClaims(JsonObject claims) {
    long now = System.currentTimeMillis() / 1000;
    try {
      Long exp = longClaim(claims, "exp");
      longClaim(claims, "iat");
      Long nbf = longClaim(claims, "nbf");
      if (nbf != null && nbf > now) {
        return Future.failedFuture(invalid("token not valid yet"));
      }
      if (audienceRegex != null && !matchesAudience(claims.getValue("aud"))) {
        return Future.failedFuture(invalid("audience does not match"));
      }
      if (issuerRegex != null && !(claims.getValue("iss") instanceof String iss && issuerRegex.matcher(iss).matches())) {
        return Future.failedFuture(invalid("issuer does not match"));
      }
      if (exp != null && exp <= now) {
        return Future.failedFuture(new TokenException(TokenException.Kind.EXPIRED, "token expired"));
      }
    } catch (ClassCastException e) {
      return Future.failedFuture(invalid("bad claim type"));
    }
    return Future.succeededFuture(claims);
  }

  private boolean matchesAudience(Object aud) {
    if (aud instanceof String s) {
      return audienceRegex.matcher(s).matches();
    }
    if (aud instanceof JsonArray a) {
      return a.stream().anyMatch(v -> v instanceof String s && audienceRegex.matcher(s).matches());
    }
    return false;
  }

  private static ConnectToken connectClaims(JsonObject claims) {
    try {
      if (claims.containsKey("channel")) {
        throw invalid("connection token has a channel claim");
      }
      Map<String, TokenSubscription> subs = new LinkedHashMap<>();
      JsonArray channels = claims.getJsonArray("channels");
      if (channels != null) {
        for (Object c : channels) {
          if (!(c instanceof String s)) {
            throw invalid("channels must be strings");
          }
          subs.put(s, TokenSubscription.DEFAULT);
        }
      }
      JsonObject subsClaim = claims.getJsonObject("subs");
      if (subsClaim != null) {
        // subs takes precedence over channels.
        subs.clear();
        for (String ch : subsClaim.fieldNames()) {
          JsonObject s = subsClaim.getJsonObject(ch);
          if (s == null) {
            subs.put(ch, TokenSubscription.DEFAULT);
            continue;
          }
          subs.put(ch, new TokenSubscription(binaryOrRaw(s, "b64info", "info"), binaryOrRaw(s, "b64data", "data"),
              ChannelOverride.parse(s.getJsonObject("override"))));
        }
      }
      Object meta = claims.getValue("meta");
      if (meta != null && !(meta instanceof JsonObject)) {
        throw invalid("meta must be an object");
      }
      return new ConnectToken(user(claims), expiry(claims), binaryOrRaw(claims, "b64info", "info"), subs,
          raw(meta));
    } catch (ClassCastException e) {
      throw invalid("bad claim type");
    }
  }

  private static SubscribeToken subscribeClaims(JsonObject claims) {
    try {
      String channel = claims.getString("channel");
      if (channel == null || channel.isEmpty()) {
        throw invalid("subscription token without channel");
      }
      return new SubscribeToken(user(claims), channel, expiry(claims),
          binaryOrRaw(claims, "b64info", "info"), binaryOrRaw(claims, "b64data", "data"),
          ChannelOverride.parse(claims.getJsonObject("override")));
    } catch (ClassCastException e) {
      throw invalid("bad claim type");
    }
  }

  private static String user(JsonObject claims) {
    Object sub = claims.getValue("sub");
    if (sub != null && !(sub instanceof String)) {
      throw invalid("sub is not a string");
    }
    return sub == null ? "" : (String) sub;
  }

  /** {@code expire_at} when present (0: never), else {@code exp}, else never. */
  private static long expiry(JsonObject claims) {
    Long exp = longClaim(claims, "exp");
    Long expireAt = longClaim(claims, "expire_at");
    return expireAt != null ? expireAt : exp != null ? exp : 0;
  }

  /**
   * The base64 claim decoded when present (it takes precedence), else the JSON claim re-encoded.
   * Either way the bytes must be JSON: they are embedded verbatim in frames other clients read.
   */
  private static byte[] binaryOrRaw(JsonObject claims, String b64Name, String rawName) {
    String b64 = claims.getString(b64Name);
    if (b64 == null) {
      return raw(claims.getValue(rawName));
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw invalid(b64Name + " is not base64");
    }
    try {
      JsonNode tree = JsonCodec.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
      if (tree == null || tree.isMissingNode()) {
        throw invalid(b64Name + " is empty");
      }
      // Re-encoded compactly: raw newlines would break the newline-separated JSON framing.
      return JsonCodec.MAPPER.writeValueAsBytes(tree);
    } catch (java.io.IOException e) {
      throw invalid(b64Name + " is not JSON: binary info needs the Protobuf protocol");
    }
  }

  private static byte[] raw(Object v) {
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

  private static TokenException invalid(String why) {
    return new TokenException(TokenException.Kind.INVALID, why);
  }
}
