package io.rotor.auth;

/**
 * One entry of a connection token's {@code subs} claim: a server-side subscription with its own
 * channel info, subscribe-result data and option overrides.
 */
public record TokenSubscription(byte[] info, byte[] data, ChannelOverride override) {

  public static final TokenSubscription DEFAULT = new TokenSubscription(null, null, ChannelOverride.NONE);
}
