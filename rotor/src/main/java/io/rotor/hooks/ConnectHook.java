package io.rotor.hooks;

import io.vertx.core.Future;

/** Authenticates a connection that brought no token (Centrifugo's connect proxy, in process). */
@FunctionalInterface
public interface ConnectHook {

  Future<ConnectReply> connect(ConnectEvent event);
}
