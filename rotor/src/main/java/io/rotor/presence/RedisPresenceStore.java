package io.rotor.presence;

import io.rotor.core.ClientInfo;
import io.rotor.broker.PublicationCodec;
import io.rotor.redis.RedisScript;
import io.rotor.redis.RedisShards;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence in Redis, shared by every node: per channel a hash (client id to info) and a sorted set
 * of expiry times. Each node re-adds its own entries every {@code client.presence_update_interval}
 * (Centrifugo: 27 s against a 60 s TTL), so the entries of a node that died stop being refreshed and
 * are dropped by the next read once the TTL has passed.
 */
public final class RedisPresenceStore implements PresenceStore {

  private static final RedisScript ADD = RedisScript.load(RedisPresenceStore.class, "presence_add");
  private static final RedisScript REMOVE = RedisScript.load(RedisPresenceStore.class, "presence_remove");
  private static final RedisScript GET = RedisScript.load(RedisPresenceStore.class, "presence_get");

  private final Vertx vertx;
  private final RedisShards redis;
  private final long ttlSeconds;
  private final long timer;
  /** What this node added, to refresh: channel to client id to info. */
  private final Map<String, Map<String, ClientInfo>> local = new ConcurrentHashMap<>();

  public RedisPresenceStore(Vertx vertx, RedisShards redis, Duration ttl, Duration updateInterval) {
    this.vertx = vertx;
    this.redis = redis;
    this.ttlSeconds = Math.max(1, ttl.getSeconds());
    this.timer = vertx.setPeriodic(Math.max(100, updateInterval.toMillis()), t -> refresh());
  }

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    local.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(info.client(), info);
    return write(channel, info);
  }

  private Future<Void> write(String channel, ClientInfo info) {
    long now = System.currentTimeMillis() / 1000;
    Object[] keys = keys(channel);
    Object[] args = {ttlSeconds, now + ttlSeconds, info.client(), PublicationCodec.encodeInfo(info)};
    return ADD.run(redis.shard(channel)::send, keys, args).mapEmpty();
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    local.computeIfPresent(channel, (c, clients) -> {
      clients.remove(clientId);
      return clients.isEmpty() ? null : clients;
    });
    return REMOVE.run(redis.shard(channel)::send, keys(channel), new Object[] {clientId}).mapEmpty();
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    Object[] args = {System.currentTimeMillis() / 1000};
    return GET.run(redis.shard(channel)::send, keys(channel), args).map(r -> {
      Map<String, ClientInfo> out = new HashMap<>();
      for (int i = 0; i + 1 < r.size(); i += 2) {
        Response value = r.get(i + 1);
        out.put(r.get(i).toString(), PublicationCodec.decodeInfo(value.toBuffer()));
      }
      return out;
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

  /** Re-adds every entry of this node, pushing its expiry forward. */
  void refresh() {
    local.forEach((channel, clients) -> clients.values().forEach(info -> write(channel, info)));
  }

  public void close() {
    vertx.cancelTimer(timer);
  }

  private Object[] keys(String channel) {
    return new Object[] {redis.key("presence.expire", channel), redis.key("presence.data", channel)};
  }
}
