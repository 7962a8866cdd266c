package io.rotor.history;

import java.time.Duration;

/** How a channel's stream is kept: at most {@code size} items, each for {@code ttl}; meta for {@code metaTtl}. */
public record HistoryOptions(int size, Duration ttl, Duration metaTtl) {

  public boolean enabled() {
    return size > 0 && ttl != null && !ttl.isZero();
  }
}
