package io.rotor.core;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** Futures that complete back on the context that asked, whichever thread finished the work. */
public final class Contexts {

  private Contexts() {
  }

  /**
   * {@code work}'s outcome, delivered on {@code caller} (the event loop whose state the listeners
   * touch); on no context, {@code work} itself.
   */
  public static <T> Future<T> backOn(Context caller, Future<T> work) {
    if (caller == null) {
      return work;
    }
    Promise<T> promise = Promise.promise();
    work.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
