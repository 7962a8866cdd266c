package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;

/** An RPC command of a client. */
public record RpcEvent(ClientContext client, String method, Buffer data) {
}
