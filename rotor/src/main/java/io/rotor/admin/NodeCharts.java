package io.rotor.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.api.ServerApi;
import io.rotor.metrics.NodeHistory;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin page's charts: this node's {@link NodeHistory} as the internal method
 * {@value #METHOD} (the page's API offers it, the server API does not; in a cluster every node
 * answers, so the page charts each node). One array per series, oldest sample first:
 * {@code time} (ms since the epoch, the sample's end), {@code seconds} (the interval's length),
 * {@code clients} and {@code subscriptions} (at the sample), {@code publications} and
 * {@code deliveries} (during the interval; the page divides by {@code seconds}), {@code lag_ms} (the
 * worst event-loop lag of the interval).
 */
public final class NodeCharts {

  public static final String METHOD = "node_history";

  private NodeCharts() {
  }

  /** Offers {@code history} as {@value #METHOD} for the node named {@code name}. */
  public static void install(ServerApi api, String name, Supplier<List<NodeHistory.Sample>> history) {
    api.addInternal(METHOD, params -> Future.succeededFuture(json(name, history.get())));
  }

  static ObjectNode json(String name, List<NodeHistory.Sample> samples) {
    ObjectNode r = JsonCodec.object();
    ObjectNode n = r.putArray("nodes").addObject();
    n.put("uid", name).put("name", name).put("interval_seconds", NodeHistory.INTERVAL_SECONDS);
    ArrayNode time = n.putArray("time");
    ArrayNode seconds = n.putArray("seconds");
    ArrayNode clients = n.putArray("clients");
    ArrayNode subscriptions = n.putArray("subscriptions");
    ArrayNode publications = n.putArray("publications");
    ArrayNode deliveries = n.putArray("deliveries");
    ArrayNode lag = n.putArray("lag_ms");
    for (NodeHistory.Sample s : samples) {
      time.add(s.timeMs());
      seconds.add(Math.round(s.seconds() * 1000) / 1000.0);
      clients.add(s.clients());
      subscriptions.add(s.subscriptions());
      publications.add(s.publications());
      deliveries.add(s.deliveries());
      lag.add(s.lagMs());
    }
    return r;
  }
}
