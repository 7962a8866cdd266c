package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;

/** A subscribe command; {@code data} is the command's data (null when absent). */
public record SubscribeEvent(ClientContext client, String channel, Buffer data) {
}
