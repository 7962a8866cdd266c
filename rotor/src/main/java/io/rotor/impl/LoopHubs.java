package io.rotor.impl;

import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Hub per event loop of the host: the connections a host router accepts on a loop, and the
 * server-side subscribers created there, share that loop's Hub. Keyed by the loop's thread, not by
 * context: Vert.x gives each HTTP request a context of its own (a duplicate of the server's), and
 * every context of one loop runs on its one thread, which is what a Hub needs (no locks).
 */
final class LoopHubs {

  private final Node node;
  private final Map<Thread, Hub> byLoop = new ConcurrentHashMap<>();

  LoopHubs(Node node) {
    this.node = node;
  }

  /** The Hub of the calling event loop; IllegalStateException off an event loop. */
  Hub current() {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
      throw new IllegalStateException("Rotor needs an event-loop context here (a verticle's or an HTTP server's"
          + " on an event loop), not " + (context == null ? "a plain thread" : "a worker context"));
    }
    return byLoop.computeIfAbsent(Thread.currentThread(), t -> {
      Hub hub = new Hub(context);
      node.addHub(hub);
      return hub;
    });
  }

  void close() {
    byLoop.values().forEach(node::removeHub);
    byLoop.clear();
  }
}
