package io.rotor.history;

import io.rotor.broker.Broker;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The one place where a channel's publications get their offsets. Every call runs on the
 * sequencer's own context, so for each channel "append to history, then hand to the broker" happens
 * in one order, which is the order every subscriber sees. Results come back on the caller's context.
 */
public final class HistorySequencer implements Sequencer {

  private final Context context;
  private final HistoryStore store;
  private final Broker broker;

  public HistorySequencer(Context context, HistoryStore store, Broker broker) {
    this.context = context;
    this.store = store;
    this.broker = broker;
  }

  /**
   * Publishes with history: assigns the next offset, stores, then fans out. Returns the position
   * of the publication.
   */
  @Override
  public Future<StreamPosition> publish(String channel, Publication publication, HistoryOptions options,
      PublishConditions conditions) {
    if (options == null) {
      // Without history only an idempotency key brings a publish here: remember it, then fan out.
      return onSequencer(() -> store.claim(channel, conditions).compose(a -> a.suppressed()
          ? Future.succeededFuture(a.position())
          : broker.publish(channel, publication).map(StreamPosition.EMPTY)));
    }
    return onSequencer(() -> store.add(channel, publication, options, conditions).compose(a -> {
      StreamPosition pos = a.position();
      if (!a.suppressed()) {
        broker.publish(channel, publication.withPosition(pos.offset(), pos.epoch()));
      }
      return Future.succeededFuture(pos);
    }));
  }

  @Override
  public Future<HistoryResult> history(String channel, HistoryFilter filter, HistoryOptions options) {
    return onSequencer(() -> store.read(channel, filter, options));
  }

  @Override
  public Future<Void> remove(String channel) {
    return onSequencer(() -> store.remove(channel));
  }

  public HistoryStore store() {
    return store;
  }

  /** Frees expired streams; called on a timer. */
  public void expire() {
    context.runOnContext(v -> store.expire());
  }

  private <T> Future<T> onSequencer(Supplier<Future<T>> work) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return io.rotor.core.Contexts.backOn(caller, promise.future());
  }
}
