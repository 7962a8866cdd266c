package io.rotor.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys from a JWKS endpoint ({@code client.token.jwks_public_endpoint}), fetched with WebClient and
 * picked by {@code kid}. The key set is cached; a token whose kid is unknown triggers one refetch
 * (key rotation), at most once per {@code minRefetchInterval} so that made-up kids cannot turn
 * the node into a load generator against the key server. Fetches are short (timeout, one retry),
 * shared by concurrent callers, and never block the event loop.
 *
 * <p>Only public signing keys are taken: RSA (RS256/384/512), EC (the ES algorithm of its curve)
 * and OKP (EdDSA). Symmetric ({@code oct}) keys and keys whose {@code use} is not {@code sig} are
 * ignored, so a JWKS can never make an HMAC token verify.
 */
final class JwksKeys implements KeySet {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  static final Duration CACHE_TTL = Duration.ofHours(1);
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(1);
  static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final String endpoint;
  private final JWTOptions jwtOptions;
  private final Duration minRefetchInterval;
  // Kept in a field: a Vert.x 5 client that is no longer referenced can be collected mid-request.
  private final WebClient client;

  private volatile JWTAuth keys;
  private volatile long fetchedAt;
  private Future<JWTAuth> inFlight;

  JwksKeys(Vertx vertx, String endpoint, JWTOptions jwtOptions, Duration minRefetchInterval) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.jwtOptions = jwtOptions;
    this.minRefetchInterval = minRefetchInterval;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) FETCH_TIMEOUT.toMillis())
        .setFollowRedirects(false));
  }

  @Override
  public Future<JsonObject> verify(String token) {
    return keys(false).compose(auth -> Jwt.claims(auth, token).recover(e -> {
      if (!Jwt.unknownKey(e) || !refetchAllowed()) {
        return Future.failedFuture(e);
      }
      return keys(true).compose(fresh -> Jwt.claims(fresh, token));
    }));
  }

  private boolean refetchAllowed() {
    return System.currentTimeMillis() - fetchedAt >= minRefetchInterval.toMillis();
  }

  private synchronized Future<JWTAuth> keys(boolean refresh) {
    JWTAuth cached = keys;
    boolean fresh = System.currentTimeMillis() - fetchedAt < CACHE_TTL.toMillis();
    if (cached != null && fresh && !refresh) {
      return Future.succeededFuture(cached);
    }
    if (inFlight != null) {
      return inFlight;
    }
    Promise<JWTAuth> promise = Promise.promise();
    inFlight = promise.future();
    fetch(1).onComplete(ar -> {
      synchronized (this) {
        inFlight = null;
        fetchedAt = System.currentTimeMillis();
        if (ar.succeeded()) {
          keys = ar.result();
        }
      }
      if (ar.succeeded()) {
        promise.complete(ar.result());
      } else if (cached != null) {
        // The key server is down: keep using the keys we have.
        LOG.warn("JWKS fetch from {} failed, keeping cached keys: {}", endpoint, ar.cause().getMessage());
        promise.complete(cached);
      } else {
        LOG.warn("JWKS fetch from {} failed: {}", endpoint, ar.cause().getMessage());
        promise.fail(new TokenException(TokenException.Kind.INVALID, "JWKS unavailable", ar.cause()));
      }
    });
    return inFlight;
  }

  private Future<JWTAuth> fetch(int retries) {
    Future<JWTAuth> attempt = client.getAbs(endpoint)
        .timeout(FETCH_TIMEOUT.toMillis())
        .send()
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture("JWKS endpoint answered " + resp.statusCode());
          }
          JsonArray raw = resp.bodyAsJsonObject().getJsonArray("keys");
          if (raw == null) {
            return Future.failedFuture("JWKS has no keys");
          }
          List<JsonObject> usable = signingKeys(raw);
          if (usable.isEmpty()) {
            // A JWTAuth without keys would run in "unsecured" mode: never build one.
            return Future.failedFuture("JWKS has no usable signing key");
          }
          return Future.succeededFuture(JWTAuth.create(vertx, new JWTAuthOptions()
              .setJWTOptions(jwtOptions).setJwks(usable)));
        });
    return retries > 0 ? attempt.recover(e -> fetch(retries - 1)) : attempt;
  }

  /** The usable public keys, one entry per algorithm each may sign with. */
  static List<JsonObject> signingKeys(JsonArray raw) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : raw) {
      if (!(o instanceof JsonObject jwk)) {
        continue;
      }
      String use = jwk.getString("use");
      if (use != null && !use.equals("sig")) {
        continue;
      }
      String kty = String.valueOf(jwk.getValue("kty"));
      List<String> algs = switch (kty) {
        case "RSA" -> PublicKeys.rsaAlgorithms();
        case "EC" -> {
          String alg = PublicKeys.ecdsaAlgorithm(jwk.getString("crv"));
          yield alg == null ? List.of() : List.of(alg);
        }
        case "OKP" -> List.of("EdDSA");
        default -> List.of();
      };
      String declared = jwk.getString("alg");
      for (String alg : algs) {
        if (declared == null || declared.equals(alg)) {
          out.add(jwk.copy().put("alg", alg));
        }
      }
    }
    return out;
  }
}
