package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;

/**
 * A connect command without a token.
 *
 * @param data the connect command's data (null when absent)
 */
public record ConnectEvent(ClientContext client, String name, String version, Buffer data) {
}
