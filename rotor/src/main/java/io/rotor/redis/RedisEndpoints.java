package io.rotor.redis;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.util.ArrayList;
import java.util.List;

/**
 * How one shard of the engine is reached, from {@code engine.redis}: a standalone server
 * ({@code address}), a master found through Sentinels ({@code sentinel_address}, vertx-redis-client's
 * SENTINEL mode: the master is asked of the Sentinels on every new connection, so connections opened
 * after a failover reach the new master), or a Redis Cluster ({@code cluster_address}, CLUSTER mode:
 * commands are routed by key slot, which is why keys carry the channel as a hash tag).
 *
 * <p>{@code pubSub} lists what a PUB/SUB connection may use, tried in turn after a failure: the same
 * client for standalone and Sentinel; for a Redis Cluster each seed as a plain connection, because
 * a PUBLISH reaches the subscribers of every node of the cluster, so any live node will do.
 */
record RedisEndpoints(String description, boolean cluster, RedisOptions commands, List<RedisOptions> pubSub) {

  static List<RedisEndpoints> of(io.rotor.config.RedisOptions o) {
    List<RedisEndpoints> out = new ArrayList<>();
    if (o.isSentinel()) {
      for (String shard : o.getSentinelAddress()) {
        RedisOptions r = pooled(new RedisOptions().setType(RedisClientType.SENTINEL)
            .setMasterName(o.getSentinelMasterName()).setRole(RedisRole.MASTER), o);
        for (String seed : seeds(shard)) {
          r.addConnectionString(withCredentials(seed, o.getSentinelUser(), o.getSentinelPassword()));
        }
        out.add(new RedisEndpoints("sentinels " + shard + " (master " + o.getSentinelMasterName() + ")", false, r,
            List.of(r)));
      }
    } else if (o.isCluster()) {
      for (String shard : o.getClusterAddress()) {
        RedisOptions r = pooled(new RedisOptions().setType(RedisClientType.CLUSTER), o);
        List<RedisOptions> pubSub = new ArrayList<>();
        for (String seed : seeds(shard)) {
          r.addConnectionString(connectionString(seed));
          pubSub.add(pooled(new RedisOptions().setConnectionString(connectionString(seed)), o));
        }
        out.add(new RedisEndpoints("cluster " + shard, true, r, pubSub));
      }
    } else {
      for (String address : o.getAddress()) {
        RedisOptions r = pooled(new RedisOptions().setConnectionString(connectionString(address)), o);
        out.add(new RedisEndpoints(address, false, r, List.of(r)));
      }
    }
    return out;
  }

  private static RedisOptions pooled(RedisOptions r, io.rotor.config.RedisOptions o) {
    if (!o.getPassword().isEmpty()) {
      r.setPassword(o.getPassword());
    }
    if (!o.getUser().isEmpty()) {
      r.setUser(o.getUser());
    }
    return r.setMaxPoolSize(8).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(100_000);
  }

  private static List<String> seeds(String shard) {
    List<String> out = new ArrayList<>();
    for (String s : shard.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  static String connectionString(String address) {
    return address.startsWith("redis://") || address.startsWith("rediss://") ? address : "redis://" + address;
  }

  private static String withCredentials(String seed, String user, String password) {
    String uri = connectionString(seed);
    if (password.isEmpty()) {
      return uri;
    }
    int at = uri.indexOf("://") + 3;
    String auth = java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8) + ":"
        + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8) + "@";
    return uri.substring(0, at) + auth + uri.substring(at);
  }
}
