package io.rotor.impl;

import io.rotor.ChannelSubscriber;
import io.rotor.Rotor;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A verticle consuming one channel through {@link Rotor#subscriber}, from a stored position; it
 * records what its handlers saw, and on which context, for the test thread.
 */
final class SubscriberVerticle extends VerticleBase {

  final BlockingQueue<Publication> received = new LinkedBlockingQueue<>();
  final BlockingQueue<ChannelSubscriber.Subscribed> subscribed = new LinkedBlockingQueue<>();
  final BlockingQueue<String> offContext = new LinkedBlockingQueue<>();
  private final Rotor rotor;
  private final String channel;
  private final StreamPosition since;
  volatile ChannelSubscriber subscriber;

  SubscriberVerticle(Rotor rotor, String channel, StreamPosition since) {
    this.rotor = rotor;
    this.channel = channel;
    this.since = since;
  }

  @Override
  public Future<?> start() {
    subscriber = rotor.subscriber(channel)
        .handler(p -> {
          check();
          received.add(p);
        })
        .subscribedHandler(s -> {
          check();
          subscribed.add(s);
        });
    return subscriber.subscribe(since);
  }

  private void check() {
    if (Vertx.currentContext() != context) {
      offContext.add(String.valueOf(Vertx.currentContext()));
    }
  }

  @Override
  public Future<?> stop() {
    return subscriber.unsubscribe();
  }
}
