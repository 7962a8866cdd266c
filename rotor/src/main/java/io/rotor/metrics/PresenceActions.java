package io.rotor.metrics;

import io.rotor.core.ClientInfo;
import io.rotor.presence.PresenceStats;
import io.rotor.presence.PresenceStore;
import io.vertx.core.Future;
import java.util.Map;

/**
 * A presence store that counts each call as Centrifugo's node action ({@code add_presence},
 * {@code remove_presence}, {@code presence}, {@code presence_stats}), as Centrifugo's node does for
 * every call whatever its outcome. The node wraps its store once, so every caller is counted.
 */
public final class PresenceActions implements PresenceStore {

  private final PresenceStore store;
  private final RotorMetrics metrics;

  public PresenceActions(PresenceStore store, RotorMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    metrics.action("add_presence", channel);
    return store.add(channel, info);
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    metrics.action("remove_presence", channel);
    return store.remove(channel, clientId);
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    metrics.action("presence", channel);
    return store.presence(channel);
  }

  @Override
  public Future<PresenceStats> stats(String channel) {
    metrics.action("presence_stats", channel);
    return store.stats(channel);
  }
}
