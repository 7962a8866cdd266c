package io.rotor.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Connection tokens for the UI's live view: the browser connects as an ordinary client of user
 * {@value #USER} whose token carries the watched channel in its {@code channels} claim, so the
 * node subscribes it server-side, with the same trust the server API has. Signed with
 * {@code client.token.hmac_secret_key}, like tokens from a backend; the UI refreshes them before
 * they expire.
 */
final class WatchTokens {

  static final String USER = "rotor-admin";
  static final int TTL_SECONDS = 3600;

  private final JWTAuth jwt;

  WatchTokens(Vertx vertx, String clientSecret) {
    this.jwt = clientSecret.isEmpty() ? null : JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(clientSecret)));
  }

  /** A token subscribing to {@code channel}; 108 (not available) when the node has no token secret. */
  ObjectNode mint(String channel) {
    if (jwt == null) {
      throw ClientError.NOT_AVAILABLE.asException();
    }
    String token = jwt.generateToken(
        new JsonObject().put("sub", USER).put("channels", new JsonArray().add(channel)),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(TTL_SECONDS));
    return JsonCodec.object().put("token", token).put("user", USER).put("ttl", TTL_SECONDS);
  }
}
