package io.rotor.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where signature keys come from: verifies a token's signature and algorithm (and the library's
 * audience/issuer checks) and returns its claims. Failures are {@link TokenException}s.
 */
interface KeySet {

  Future<JsonObject> verify(String token);
}
