package io.rotor;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * A server-side subscriber of one channel, bound to the context that created it (see
 * {@link Rotor#subscriber}); every handler runs there. It keeps the guarantees the SDKs get: on a
 * channel with history, publications arrive once each, in offset order, with their offset and epoch;
 * a gap or an epoch change is noticed (by the next publication or by the node's periodic position
 * check) and the subscriber recovers from its last position by itself, as an SDK does after 2500.
 *
 * <p>After a restart, pass the position the application stored to {@link #subscribe(StreamPosition)}:
 * the missed publications are delivered first, then live ones, with nothing lost or repeated
 * in between; when history no longer holds them (or the epoch changed) {@link Subscribed#recovered()}
 * is false and delivery resumes from the current top.
 */
public interface ChannelSubscriber {

  /** How a (re)subscription went: the position delivery continues from, and whether it recovered. */
  record Subscribed(StreamPosition position, boolean wasRecovering, boolean recovered) {
  }

  String channel();

  /** Each publication, in order, on the subscriber's context. */
  ChannelSubscriber handler(Handler<Publication> handler);

  /** After the first subscribe and after every recovery the subscriber started on its own. */
  ChannelSubscriber subscribedHandler(Handler<Subscribed> handler);

  /**
   * Subscribes: from the current top when {@code since} is null, else recovering everything published
   * after {@code since} first. Completes once live publications flow (after the recovered ones went to
   * the handler). Fails with 108 on a channel without history when {@code since} is given.
   */
  Future<Subscribed> subscribe(StreamPosition since);

  /** The position of the last publication delivered (or subscribed at); store it to resume later. */
  StreamPosition position();

  /** Stops delivery and leaves the channel. */
  Future<Void> unsubscribe();
}
