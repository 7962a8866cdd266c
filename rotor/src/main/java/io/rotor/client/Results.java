package io.rotor.client;

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

  /** Seconds left until an expiry (unix seconds), never negative. */
  static int ttl(long expireAt) {
    return (int) Math.max(0, expireAt - System.currentTimeMillis() / 1000);
  }
}
