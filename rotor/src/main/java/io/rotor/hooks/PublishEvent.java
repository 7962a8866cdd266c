package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;

/** A publish command of a client. */
public record PublishEvent(ClientContext client, String channel, Buffer data) {
}
