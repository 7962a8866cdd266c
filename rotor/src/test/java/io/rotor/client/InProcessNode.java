package io.rotor.client;

import io.rotor.broker.MemoryBroker;
import io.rotor.config.ConfigLoader;
import io.rotor.history.HistorySequencer;
import io.rotor.history.MemoryHistoryStore;
import io.rotor.hub.Hub;
import io.rotor.metrics.RotorMetrics;
import io.rotor.node.Node;
import io.rotor.presence.MemoryPresenceStore;
import io.rotor.protocol.Wire;
import io.rotor.testing.MemoryTransport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A node with its memory engine and one Hub, in-process, without any server or socket: clients are
 * driven through {@link MemoryTransport}s on the Hub's event loop.
 */
final class InProcessNode implements AutoCloseable {

  static final String CONFIG = """
      {"client": {"allow_anonymous_connect_without_token": true, "ping_interval": "0s", "queue_max_size": 4096},
       "channel": {"without_namespace": {"history_size": 100, "history_ttl": "300s", "force_recovery": true,
                   "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true,
                   "allow_publish_for_subscriber": true, "allow_publish_for_anonymous": true},
                   "namespaces": [{"name": "live", "allow_subscribe_for_client": true,
                                   "allow_subscribe_for_anonymous": true}]}}
      """;

  final Vertx vertx;
  final Context context;
  final Node node;
  final Hub hub;

  /** A node on {@code vertx}, which the caller owns (one Vert.x serves many short tests). */
  InProcessNode(Vertx vertx) {
    this(vertx, CONFIG);
  }

  /** A node with its own configuration (JSON, Centrifugo keys). */
  InProcessNode(Vertx vertx, String config) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.hub = new Hub(context);
    var options = ConfigLoader.fromJson(config, Map.of());
    MemoryBroker broker = new MemoryBroker();
    HistorySequencer sequencer = new HistorySequencer(vertx.getOrCreateContext(), new MemoryHistoryStore(), broker);
    node = new Node(vertx, options, broker, sequencer, new MemoryPresenceStore(), new RotorMetrics(RotorMetrics.newRegistry()));
    node.start();
    node.addHub(hub);
  }

  /** Runs on the Hub's event loop and waits for the result. */
  <T> T on(Callable<T> action) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        out.complete(action.call());
      } catch (Throwable e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(10, TimeUnit.SECONDS);
  }

  /** Waits until the Hub's event loop has run everything queued so far (its end-of-turn flushes too). */
  void settle() throws Exception {
    for (int i = 0; i < 3; i++) {
      on(() -> null);
    }
  }

  Client client(Wire wire) throws Exception {
    MemoryTransport t = new MemoryTransport(wire, wire.unidirectional() ? "uni_websocket" : "websocket");
    return on(() -> {
      Client c = new Client(node, hub, t);
      c.start();
      return c;
    });
  }

  static MemoryTransport transport(Client c) {
    return (MemoryTransport) c.transport();
  }

  /** Closes every client (their timers go with them). */
  @Override
  public void close() throws Exception {
    node.shutdown().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
