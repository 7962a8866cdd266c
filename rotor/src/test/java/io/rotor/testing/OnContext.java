package io.rotor.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Builds a chain of HTTP client futures on one Vert.x context. Called from a test thread, a step
 * such as {@code .map(resp -> resp.handler(...))} or {@code .compose(resp -> resp.body())} is added
 * after the fact when the response has already arrived, and the response's first bytes (or its
 * end) are emitted on the event loop with no handler set yet: lost, and the test waits for them
 * in vain. Run on the context, every step is in place before the context can emit anything.
 */
public final class OnContext {

  private OnContext() {
  }

  public static <T> Future<T> call(Vertx vertx, Supplier<Future<T>> chain) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> chain.get().onComplete(result));
    return result.future();
  }
}
