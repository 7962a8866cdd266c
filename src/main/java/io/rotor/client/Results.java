package io.rotor.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.vertx.core.Future;

/** Short ways for handlers to fail with a protocol error or a disconnect. */
final class Results {

  private Results() {
  }

  static <T> Future<T> error(ClientError error) {
    return Future.failedFuture(error.asException());
  }

  static <T> Future<T> disconnect(Disconnect disconnect) {
    return Future.failedFuture(disconnect.asException());
  }

  /** True when an expiry (unix seconds, 0 = never) has already passed. */
  static boolean expired(long expireAt) {
    return expireAt > 0 && expireAt <= System.currentTimeMillis() / 1000;
  }

  /** Adds {@code expires} and {@code ttl} (seconds left) when there is an expiry. */
  static ObjectNode expiry(ObjectNode result, long expireAt) {
    if (expireAt > 0) {
      result.put("expires", true).put("ttl", Math.max(0, expireAt - System.currentTimeMillis() / 1000));
    }
    return result;
  }
}
