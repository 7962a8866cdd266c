package io.rotor.server;

import io.rotor.api.ServerApi;
import io.rotor.broker.MemoryBroker;
import io.rotor.config.RotorOptions;
import io.rotor.history.MemoryHistoryStore;
import io.rotor.node.Node;
import io.rotor.presence.MemoryPresenceStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Rotor node inside a Vert.x instance: the history verticle, then one connection
 * verticle per event loop. Used by {@code Main} and by tests, which start it on port 0.
 */
public final class RotorServer {

  private final Vertx vertx;
  private final Node node;
  private final int port;
  private final List<String> deployments;

  private RotorServer(Vertx vertx, Node node, int port, List<String> deployments) {
    this.vertx = vertx;
    this.node = node;
    this.port = port;
    this.deployments = deployments;
  }

  public static Future<RotorServer> start(Vertx vertx, RotorOptions options) {
    MemoryBroker broker = new MemoryBroker();
    HistoryVerticle history = new HistoryVerticle(new MemoryHistoryStore(), broker);
    List<String> deployments = new ArrayList<>();
    return vertx.deployVerticle(history).compose(historyId -> {
      deployments.add(historyId);
      Node node = new Node(vertx, options, broker, history.sequencer(), new MemoryPresenceStore());
      ServerApi api = new ServerApi(node);
      String host = options.getHttpServer().getAddress().isEmpty() ? "0.0.0.0" : options.getHttpServer().getAddress();
      // All instances must listen on the same port to share it; port 0 picks a free one first.
      int configured = options.getHttpServer().getPort();
      int port;
      try {
        port = configured != 0 ? configured : FreePort.find(host);
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
      ConnectionVerticle first = new ConnectionVerticle(node, api, host, port);
      Future<String> internal = InternalVerticle.enabled(options)
          ? vertx.deployVerticle(new InternalVerticle(api, options)).onSuccess(deployments::add)
          : Future.succeededFuture();
      return internal.compose(i -> vertx.deployVerticle(first)).compose(firstId -> {
        deployments.add(firstId);
        int loops = 0;
        for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
          loops++;
        }
        List<Future<String>> more = new ArrayList<>();
        for (int i = 1; i < loops; i++) {
          more.add(vertx.deployVerticle(new ConnectionVerticle(node, api, host, port)));
        }
        return Future.all(more).map(all -> {
          more.forEach(f -> deployments.add(f.result()));
          return new RotorServer(vertx, node, port, deployments);
        });
      });
    });
  }

  public int port() {
    return port;
  }

  public Node node() {
    return node;
  }

  /** Disconnects clients with 3001 and undeploys. */
  public Future<Void> close() {
    return node.shutdown().transform(v -> {
      List<Future<Void>> undeployed = new ArrayList<>();
      for (int i = deployments.size() - 1; i >= 0; i--) {
        undeployed.add(vertx.undeploy(deployments.get(i)));
      }
      return Future.join(undeployed).mapEmpty();
    });
  }
}
