package io.rotor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.api.ServerApi;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the server API act on the whole cluster, whichever node receives the call: actions on a
 * user's connections ({@code subscribe}, {@code unsubscribe}, {@code disconnect}, {@code refresh})
 * run on every node; {@code channels}, {@code info} and the admin page's {@code node_history} gather
 * every node's answer.
 */
public final class ClusterApi {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterApi.class);
  private static final List<String> ON_EVERY_NODE = List.of("subscribe", "unsubscribe", "disconnect", "refresh");

  private final NodeMesh cluster;

  private ClusterApi(NodeMesh cluster) {
    this.cluster = cluster;
  }

  public static void install(NodeMesh cluster, ServerApi api) {
    ClusterApi c = new ClusterApi(cluster);
    cluster.on("api", m -> {
      JsonNode call = parse(m.body());
      Cluster.reply(m, api.callLocal(call.path("method").asText(), call.get("params")), ClusterApi::bytes);
    });
    for (String method : ON_EVERY_NODE) {
      api.wrap(method, (params, local) -> local.apply(params).compose(r -> c.others(method, params).map(x -> r)));
    }
    api.wrap("channels", c.gather("channels", ClusterApi::mergeChannels));
    api.wrap("info", c.gather("info", ClusterApi::mergeNodes));
    // The admin page's charts (io.rotor.admin.NodeCharts): every node's own samples.
    api.wrap("node_history", c.gather("node_history", ClusterApi::mergeNodes));
  }

  /** The method on every other node; failures of single nodes are logged, not returned. */
  private Future<List<JsonNode>> others(String method, JsonNode params) {
    ObjectNode call = JsonCodec.object().put("method", method);
    call.set("params", params);
    Buffer body = bytes(call);
    List<Future<JsonNode>> replies = new ArrayList<>();
    for (String node : cluster.otherIds()) {
      replies.add(cluster.request(node, "api", body).map(ClusterApi::parse)
          .onFailure(e -> LOG.warn("{} on node {} failed: {}", method, node, e.getMessage())));
    }
    return Future.join(replies).transform(v -> {
      List<JsonNode> ok = new ArrayList<>();
      replies.stream().filter(Future::succeeded).forEach(f -> ok.add(f.result()));
      return Future.succeededFuture(ok);
    });
  }

  private BiFunction<JsonNode, Function<JsonNode, Future<JsonNode>>, Future<JsonNode>> gather(
      String method, BiFunction<JsonNode, JsonNode, JsonNode> merge) {
    return (params, local) -> local.apply(params).compose(mine -> others(method, params).map(theirs -> {
      JsonNode all = mine.deepCopy();
      for (JsonNode other : theirs) {
        all = merge.apply(all, other);
      }
      return all;
    }));
  }

  private static JsonNode mergeChannels(JsonNode into, JsonNode other) {
    ObjectNode channels = (ObjectNode) into.get("channels");
    other.path("channels").fields().forEachRemaining(e -> {
      int n = e.getValue().path("num_clients").asInt();
      JsonNode existing = channels.get(e.getKey());
      int before = existing == null ? 0 : existing.path("num_clients").asInt();
      channels.putObject(e.getKey()).put("num_clients", before + n);
    });
    return into;
  }

  private static JsonNode mergeNodes(JsonNode into, JsonNode other) {
    ArrayNode nodes = (ArrayNode) into.get("nodes");
    other.path("nodes").forEach(nodes::add);
    return into;
  }

  private static Buffer bytes(JsonNode json) {
    try {
      return Buffer.buffer(JsonCodec.MAPPER.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(Buffer b) {
    try {
      return JsonCodec.readExact(b.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
