package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;

/**
 * Per-channel history streams with offsets and epochs. Implementations are driven by the
 * {@link HistorySequencer}, which guarantees one caller per channel at a time, in order.
 */
public interface HistoryStore {

  /**
   * Appends a publication, assigning it the next offset of the stream, unless {@code conditions}
   * suppress it: an idempotency key seen within its window answers the first result, a version not
   * newer than the channel's answers the stream top. The check and the append are one atomic step.
   */
  Future<Appended> add(String channel, Publication publication, HistoryOptions options, PublishConditions conditions);

  /**
   * For an idempotent publish without history: remembers the key (position 0) and answers
   * {@code stored}, or {@code suppressed} with the remembered position when the key was seen in its window.
   */
  Future<Appended> claim(String channel, PublishConditions conditions);

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
