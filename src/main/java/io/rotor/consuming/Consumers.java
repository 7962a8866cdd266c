package io.rotor.consuming;

import io.rotor.api.ServerApi;
import io.rotor.config.ConsumerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The enabled entries of {@code consumers}, running. */
public final class Consumers {

  private final List<Consumer> running;

  private Consumers(List<Consumer> running) {
    this.running = running;
  }

  public static Future<Consumers> start(Vertx vertx, ServerApi api, List<ConsumerOptions> options) {
    List<Consumer> running = new ArrayList<>();
    for (ConsumerOptions o : options) {
      if (o.isEnabled()) {
        return Future.failedFuture(new IllegalStateException("consumer " + o.getName() + ": consumers are not available yet"));
      }
    }
    return Future.succeededFuture(new Consumers(running));
  }

  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    running.forEach(c -> closed.add(c.close()));
    return Future.join(closed).mapEmpty();
  }
}
