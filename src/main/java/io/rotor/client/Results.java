package io.rotor.client;

import io.rotor.protocol.ClientError;
import io.rotor.protocol.Disconnect;
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
}
