package io.rotor.auth;

/**
 * The claims of a verified subscription token.
 *
 * @param user     {@code sub}: must equal the connection's user
 * @param channel  {@code channel}: must equal the channel subscribed to
 * @param expireAt unix seconds when the subscription expires ({@code expire_at}, else {@code exp}); 0 never
 * @param info     raw JSON of {@code info} / decoded {@code b64info} (becomes chan_info), or null
 * @param data     raw JSON of {@code data} / decoded {@code b64data} (returned in the subscribe result), or null
 * @param override namespace options replaced for this subscription
 */
public record SubscribeToken(String user, String channel, long expireAt, byte[] info, byte[] data,
                             ChannelOverride override) {
}
