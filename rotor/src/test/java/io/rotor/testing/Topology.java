package io.rotor.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The ways Rotor nodes scale out, as the multi-node tests bring them up: which real processes back
 * the nodes (a Redis, Sentinels, a Redis Cluster, a nats-server) and which node config uses them.
 * One scenario written against a {@link Backends} runs on every topology (a parametrized test)
 * instead of one copy of the test per topology.
 */
public enum Topology {
  /** A Hazelcast cluster on one Redis (history, presence); fan-out over the event bus. */
  HAZELCAST,
  /** The Redis broker: {@code engine.type: redis} and no cluster block; fan-out through Redis PUB/SUB. */
  REDIS,
  /** The Redis broker reached through three Sentinels (a master and one replica). */
  SENTINEL,
  /** The Redis broker on a Redis Cluster of three masters with a replica each. */
  REDIS_CLUSTER,
  /** NATS as the broker ({@code broker.type: nats}); history, presence and node discovery in one Redis. */
  NATS;

  /** Sentinel's down-after and the Redis Cluster's node timeout: no failover is meant unless a test kills a master. */
  private static final long REDIS_TIMEOUT_MS = 5000;

  /** True when the nodes join a Hazelcast cluster (its block is the caller's: ports are per node). */
  public boolean hazelcast() {
    return this == HAZELCAST;
  }

  /** Starts the processes this topology needs; close the result to stop them. */
  public Backends start() {
    Backends b = new Backends(this);
    try {
      switch (this) {
        case SENTINEL -> {
          RedisSentinels s = b.keep(RedisSentinels.start(REDIS_TIMEOUT_MS));
          b.redisEngine = s.engineConfig();
        }
        case REDIS_CLUSTER -> {
          RedisClusterProcesses c = b.keep(RedisClusterProcesses.start(3, REDIS_TIMEOUT_MS));
          b.redisEngine = c.engineConfig();
        }
        default -> {
          RedisProcess r = b.keep(RedisProcess.start());
          b.redisAddress = r.address();
          b.redisEngine = "{\"address\": [\"" + r.address() + "\"]}";
        }
      }
      if (this == NATS) {
        b.nats = b.keep(NatsProcess.start());
        // Generous timeouts: three node JVMs starting at once on a loaded 2-core machine took more
        // than the default 1 s to finish the NATS handshake, and a node does not start without NATS.
        b.nodeConfig = "{\"broker\": {\"enabled\": true, \"type\": \"nats\", \"nats\": {\"url\": \"" + b.nats.url()
            + "\", \"prefix\": \"rotor-test\", \"dial_timeout\": \"10s\", \"write_timeout\": \"5s\"}}}";
      }
    } catch (RuntimeException | Error e) {
      b.close();
      throw e;
    }
    return b;
  }

  /** The running processes of one topology and the node config that reaches them. */
  public static final class Backends implements AutoCloseable {
    private final Topology topology;
    private final List<AutoCloseable> processes = new ArrayList<>();
    private String redisEngine;
    private String redisAddress;
    private String nodeConfig = "{}";
    private NatsProcess nats;

    private Backends(Topology topology) {
      this.topology = topology;
    }

    private <T extends AutoCloseable> T keep(T process) {
      processes.add(process);
      return process;
    }

    public Topology topology() {
      return topology;
    }

    /** The {@code engine.redis} object (addresses, or Sentinel or Cluster keys), without a prefix. */
    public String redisEngine() {
      return redisEngine;
    }

    /** The single Redis' address (HAZELCAST, REDIS, NATS); null on Sentinel and Redis Cluster. */
    public String redisAddress() {
      return redisAddress;
    }

    /**
     * What a node's config needs besides {@code engine} and the Hazelcast block: the {@code broker}
     * block on NATS, nothing otherwise.
     */
    public String nodeConfig() {
      return nodeConfig;
    }

    /** The nats-server (NATS only; null otherwise). */
    public NatsProcess nats() {
      return nats;
    }

    @Override
    public void close() {
      for (int i = processes.size() - 1; i >= 0; i--) {
        try {
          processes.get(i).close();
        } catch (Exception e) {
          // best effort: the next process still has to stop
        }
      }
    }
  }
}
