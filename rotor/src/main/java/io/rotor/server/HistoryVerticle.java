package io.rotor.server;

import io.rotor.broker.Broker;
import io.rotor.history.HistorySequencer;
import io.rotor.history.HistoryStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Hosts the history sequencer on a context of its own: every channel's offsets are assigned there,
 * one publication at a time. In a cluster this becomes the owner of a share of the channels.
 */
final class HistoryVerticle extends VerticleBase {

  private static final long EXPIRE_INTERVAL_MS = 60_000;

  private final HistoryStore store;
  private final Broker broker;
  private HistorySequencer sequencer;

  HistoryVerticle(HistoryStore store, Broker broker) {
    this.store = store;
    this.broker = broker;
  }

  @Override
  public Future<?> start() {
    sequencer = new HistorySequencer(context, store, broker);
    vertx.setPeriodic(EXPIRE_INTERVAL_MS, t -> sequencer.expire());
    return Future.succeededFuture();
  }

  HistorySequencer sequencer() {
    return sequencer;
  }
}
