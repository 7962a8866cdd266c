package io.rotor.auth;

import java.util.List;

/**
 * The claims of a verified connection token that Rotor acts on.
 *
 * @param user      {@code sub}; "" is anonymous
 * @param expireAt  unix seconds when the connection expires; 0 means never
 * @param info      raw JSON of the {@code info} claim, or null
 * @param channels  server-side subscriptions from the {@code channels} claim
 */
public record ConnectToken(String user, long expireAt, byte[] info, List<String> channels) {
}
