package io.rotor.history;

import io.rotor.core.StreamPosition;

/**
 * What to read from a stream: publications after {@code since} (before it when {@code reverse}),
 * at most {@code limit} of them; limit 0 reads only the stream top, -1 means no limit.
 */
public record HistoryFilter(StreamPosition since, int limit, boolean reverse) {

  public static final int NO_LIMIT = -1;

  public static HistoryFilter topOnly() {
    return new HistoryFilter(null, 0, false);
  }
}
