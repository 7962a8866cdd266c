package io.rotor.history;

import io.rotor.core.StreamPosition;

/**
 * What a store answered to an append: the publication's position, or, when {@code suppressed}
 * (a repeated idempotency key, a version not newer than the channel's), the position to answer
 * instead (the first publish's result, or the stream top) and nothing was stored.
 */
public record Appended(StreamPosition position, boolean suppressed) {

  public static Appended stored(StreamPosition position) {
    return new Appended(position, false);
  }

  public static Appended suppressed(StreamPosition position) {
    return new Appended(position, true);
  }
}
