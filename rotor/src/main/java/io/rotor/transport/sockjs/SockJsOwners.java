package io.rotor.transport.sockjs;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;

/** Finds the node holding a SockJS session that this node does not hold. */
public interface SockJsOwners {

  /** Nobody else: a single node. */
  SockJsOwners NONE = session -> Future.succeededFuture();

  /** The HTTP address of the node holding {@code session}, or null when no other node holds it. */
  Future<SocketAddress> find(String session);
}
