package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;

/**
 * Per-channel history streams with offsets and epochs. Implementations are driven by the
 * {@link HistorySequencer}, which guarantees one caller per channel at a time, in order.
 */
public interface HistoryStore {

  /** Appends a publication, assigning it the next offset of the stream; returns the new top. */
  Future<StreamPosition> add(String channel, Publication publication, HistoryOptions options);

  /**
   * Appends unless a publication with the same key was appended in the last {@code ttl}; then
   * returns that one's position, marked repeated, and appends nothing. See {@link Idempotency}.
   */
  default Future<Idempotency.Appended> addOnce(String channel, Publication publication, HistoryOptions options,
      String key, java.time.Duration ttl) {
    // Refused rather than appended without the check: a silent repeat is what the key is there to prevent.
    return Future.failedFuture(new UnsupportedOperationException(getClass().getName() + " has no publish-once keys"));
  }

  /** Reads publications. A stream that does not exist yet is created with a fresh epoch. */
  Future<HistoryResult> read(String channel, HistoryFilter filter, HistoryOptions options);

  /** Drops the publications but keeps the top offset and epoch, so clients see no insufficient state. */
  Future<Void> remove(String channel);

  /**
   * True when every node reaches the same streams (Redis): any node may read, and a new channel
   * owner continues where the old one stopped. False for streams kept in one JVM.
   */
  default boolean shared() {
    return false;
  }

  /** Frees streams whose meta TTL passed. */
  default void expire() {
  }
}
