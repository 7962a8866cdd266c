package io.rotor.auth;

/**
 * The claims of a verified subscription token.
 *
 * @param user     {@code sub}: must equal the connection's user
 * @param channel  {@code channel}: must equal the channel subscribed to
 * @param expireAt unix seconds when the subscription expires; 0 means never
 * @param info     raw JSON of {@code info} (becomes chan_info), or null
 * @param data     raw JSON of {@code data} (returned in the subscribe result), or null
 */
public record SubscribeToken(String user, String channel, long expireAt, byte[] info, byte[] data) {
}
