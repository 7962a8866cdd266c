package io.rotor.history;

import java.time.Duration;

/**
 * Centrifugo's conditions on a publish, checked where the channel is sequenced (the history
 * sequencer's store: the owner's JVM for the memory engine, the Lua script for Redis), so they hold
 * whichever node a retry reaches.
 *
 * @param idempotencyKey      non-empty: a second publish with this key to the same channel within
 *                            {@code idempotentResultTtl} is not published and answers the first one's result
 * @param idempotentResultTtl how long the first result is remembered (Centrifugo: 5 minutes)
 * @param version             above 0: published only when greater than the channel's last version
 *                            (with history only, as in Centrifugo)
 * @param versionEpoch        versions are compared only within one epoch; empty matches any
 */
public record PublishConditions(String idempotencyKey, Duration idempotentResultTtl, long version, String versionEpoch) {

  /** Centrifugo keeps idempotent publish results for 5 minutes. */
  public static final Duration DEFAULT_IDEMPOTENT_RESULT_TTL = Duration.ofMinutes(5);

  public static final PublishConditions NONE = new PublishConditions("", DEFAULT_IDEMPOTENT_RESULT_TTL, 0, "");

  public PublishConditions {
    idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
    versionEpoch = versionEpoch == null ? "" : versionEpoch;
    idempotentResultTtl = idempotentResultTtl == null ? DEFAULT_IDEMPOTENT_RESULT_TTL : idempotentResultTtl;
  }

  public static PublishConditions of(String idempotencyKey, long version, String versionEpoch) {
    return new PublishConditions(idempotencyKey, DEFAULT_IDEMPOTENT_RESULT_TTL, version, versionEpoch);
  }

  public boolean idempotent() {
    return !idempotencyKey.isEmpty();
  }

  public boolean versioned() {
    return version > 0;
  }

  public boolean any() {
    return idempotent() || versioned();
  }

  /** Whole seconds, at least one (Redis expiry resolution). */
  long resultTtlSeconds() {
    return Math.max(1, (idempotentResultTtl.toMillis() + 999) / 1000);
  }
}
