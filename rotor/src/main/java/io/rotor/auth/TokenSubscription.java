package io.rotor.auth;

import io.rotor.config.ChannelOptions;

/**
 * One server-side subscription given at connect: an entry of a connection token's {@code subs}
 * claim or of the connect proxy's {@code subs} result, with its own channel info,
 * subscribe-result data and option overrides.
 *
 * @param cacheRecover the connect proxy's {@code cache_recover}: in cache recovery mode the latest
 *                     publication is delivered on every (re)subscribe, as the namespace's
 *                     {@code auto_cache_recover} does (tokens have no such field)
 */
public record TokenSubscription(byte[] info, byte[] data, ChannelOverride override, boolean cacheRecover) {

  public static final TokenSubscription DEFAULT = new TokenSubscription(null, null, ChannelOverride.NONE, false);

  public TokenSubscription(byte[] info, byte[] data, ChannelOverride override) {
    this(info, data, override, false);
  }

  /** The namespace options of this subscription: the overrides, and {@code cache_recover} on top. */
  public ChannelOptions apply(ChannelOptions options) {
    ChannelOptions o = override.apply(options);
    if (!cacheRecover || o.isAutoCacheRecover()) {
      return o;
    }
    ChannelOptions copy = o == options ? o.copy() : o;
    copy.setAutoCacheRecover(true);
    return copy;
  }
}
