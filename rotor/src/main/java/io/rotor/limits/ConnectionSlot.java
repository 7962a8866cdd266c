package io.rotor.limits;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's place under the {@link ConnectionLimiter}, taken by every transport's entry
 * point before it upgrades or starts a stream ({@link #admit}). {@link #release()} may be called
 * from every path that ends the connection (close, end, failed upgrade): only the first counts.
 *
 * <p>Transports whose connection is created later by a library (SockJS sessions) {@link #claim()}
 * the slot when the connection appears; a slot nobody claims is given back with
 * {@link #releaseUnclaimed()}.
 */
public final class ConnectionSlot {

  private static final int PENDING = 0;
  private static final int CLAIMED = 1;
  private static final int RELEASED = 2;

  private final ConnectionLimiter limiter;
  private final AtomicInteger state = new AtomicInteger(PENDING);

  private ConnectionSlot(ConnectionLimiter limiter) {
    this.limiter = limiter;
  }

  /**
   * Takes a place for the request's connection, or answers HTTP 503 and returns null when the
   * node is at {@code client.connection_limit} or over {@code client.connection_rate_limit}.
   */
  public static ConnectionSlot admit(ConnectionLimiter limiter, RoutingContext ctx) {
    if (!limiter.tryAcquire()) {
      ctx.response().setStatusCode(503)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("Service Unavailable");
      return null;
    }
    return new ConnectionSlot(limiter);
  }

  /** Marks the slot as owned by a live connection; false if it was already given back. */
  public boolean claim() {
    return state.compareAndSet(PENDING, CLAIMED);
  }

  /** Gives the place back unless a connection claimed it. */
  public void releaseUnclaimed() {
    if (state.compareAndSet(PENDING, RELEASED)) {
      limiter.release();
    }
  }

  /** Gives the place back; later calls do nothing. */
  public void release() {
    if (state.getAndSet(RELEASED) != RELEASED) {
      limiter.release();
    }
  }
}
