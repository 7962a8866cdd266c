package io.rotor.cluster;

import io.rotor.core.ClientInfo;
import io.rotor.broker.PublicationCodec;
import io.rotor.presence.MemoryPresenceStore;
import io.rotor.presence.PresenceStats;
import io.rotor.presence.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence for a cluster on the memory engine: each node keeps its own connections, and a read
 * asks every member. A node that died takes its entries with it. (With Redis, presence lives
 * there instead and this class is not used.)
 */
public final class ClusterPresenceStore implements PresenceStore {

  private final Cluster cluster;
  private final MemoryPresenceStore local = new MemoryPresenceStore();

  public ClusterPresenceStore(Cluster cluster) {
    this.cluster = cluster;
    cluster.on("presence", m -> {
      String channel = EventBusBroker.reader(m.body()).readString();
      Cluster.reply(m, local.presence(channel), ClusterPresenceStore::encode);
    });
  }

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    return local.add(channel, info);
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    return local.remove(channel, clientId);
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    List<Future<Map<String, ClientInfo>>> parts = new ArrayList<>();
    parts.add(local.presence(channel));
    Buffer body = Buffer.buffer();
    PublicationCodec.writeString(body, channel);
    for (String node : cluster.members().others()) {
      parts.add(cluster.request(node, "presence", body).map(ClusterPresenceStore::decode));
    }
    // A node that does not answer in time is left out rather than failing the whole call.
    return Future.join(parts).transform(v -> {
      Map<String, ClientInfo> all = new HashMap<>();
      parts.stream().filter(Future::succeeded).forEach(f -> all.putAll(f.result()));
      return Future.succeededFuture(all);
    });
  }

  @Override
  public Future<PresenceStats> stats(String channel) {
    return presence(channel).map(clients -> {
      Set<String> users = new HashSet<>();
      clients.values().forEach(i -> users.add(i.user()));
      return new PresenceStats(clients.size(), users.size());
    });
  }

  private static Buffer encode(Map<String, ClientInfo> clients) {
    Buffer b = Buffer.buffer();
    clients.values().forEach(info -> PublicationCodec.writeInfo(b, info));
    return b;
  }

  private static Map<String, ClientInfo> decode(Buffer b) {
    PublicationCodec.Reader r = EventBusBroker.reader(b);
    Map<String, ClientInfo> out = new HashMap<>();
    while (!r.atEnd()) {
      ClientInfo info = PublicationCodec.readInfo(r);
      out.put(info.client(), info);
    }
    return out;
  }
}
