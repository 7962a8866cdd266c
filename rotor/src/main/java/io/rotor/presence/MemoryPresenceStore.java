package io.rotor.presence;

import io.rotor.core.ClientInfo;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence of this node's clients. Connections live on several event loops, so the maps are
 * concurrent; entries go away exactly on unsubscribe or disconnect, so no TTL is needed here.
 */
public final class MemoryPresenceStore implements PresenceStore {

  private final Map<String, Map<String, ClientInfo>> channels = new ConcurrentHashMap<>();

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    channels.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(info.client(), info);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    channels.computeIfPresent(channel, (c, clients) -> {
      clients.remove(clientId);
      return clients.isEmpty() ? null : clients;
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    Map<String, ClientInfo> clients = channels.get(channel);
    return Future.succeededFuture(clients == null ? Map.of() : Map.copyOf(clients));
  }

  @Override
  public Future<PresenceStats> stats(String channel) {
    Map<String, ClientInfo> clients = channels.get(channel);
    if (clients == null) {
      return Future.succeededFuture(new PresenceStats(0, 0));
    }
    Set<String> users = new HashSet<>();
    int n = 0;
    for (ClientInfo info : clients.values()) {
      users.add(info.user());
      n++;
    }
    return Future.succeededFuture(new PresenceStats(n, users.size()));
  }
}
