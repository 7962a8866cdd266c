package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;

/**
 * Where a channel's publications get their offsets and its history is read: the local
 * {@link HistorySequencer} on one node, or the channel's owner in a cluster.
 */
public interface Sequencer {

  /** Assigns the next offset, appends, hands the publication to the fan-out; returns its position. */
  default Future<StreamPosition> publish(String channel, Publication publication, HistoryOptions options) {
    return publish(channel, publication, options, PublishConditions.NONE);
  }

  /**
   * A publish under Centrifugo's idempotency and version conditions, decided here, where the channel
   * is sequenced. {@code options} null: a channel without history (then only an idempotency key
   * brings a publish here). A suppressed publish is not fanned out and answers the remembered
   * position (idempotency) or the stream top (version).
   */
  Future<StreamPosition> publish(String channel, Publication publication, HistoryOptions options,
      PublishConditions conditions);

  Future<HistoryResult> history(String channel, HistoryFilter filter, HistoryOptions options);

  Future<Void> remove(String channel);
}
