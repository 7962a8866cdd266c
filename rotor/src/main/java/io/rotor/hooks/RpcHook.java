package io.rotor.hooks;

import io.vertx.core.Future;

/** Answers a client's RPC (Centrifugo's RPC proxy, in process). */
@FunctionalInterface
public interface RpcHook {

  /** Completes with the data returned to the client (null: none). */
  Future<io.vertx.core.buffer.Buffer> rpc(RpcEvent event);
}
