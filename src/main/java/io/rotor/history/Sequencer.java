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
  Future<StreamPosition> publish(String channel, Publication publication, HistoryOptions options);

  Future<HistoryResult> history(String channel, HistoryFilter filter, HistoryOptions options);

  Future<Void> remove(String channel);
}
