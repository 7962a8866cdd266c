package io.rotor.testing;

import io.rotor.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Several real nodes in this JVM joined into one Hazelcast cluster with a name of its own, on free
 * ports, optionally on a Redis engine. {@link #awaitMembers} waits until every node routes to every
 * other one.
 */
public final class TestCluster implements AutoCloseable {

  private final String name = "rotor-test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  private final String prefix = UUID.randomUUID().toString();
  private final IntFunction<String> redisAddress;
  private final IntFunction<String> extraConfig;
  /** False: no Hazelcast, the nodes find each other and fan out through Redis (the Redis broker). */
  private boolean hazelcast = true;

  private TestCluster(IntFunction<String> redisAddress, IntFunction<String> extraConfig) {
    this.redisAddress = redisAddress;
    this.extraConfig = extraConfig;
  }

  /**
   * {@code n} nodes without a Hazelcast cluster on the Redis broker: {@code engine.type: redis}
   * only, as a Centrifugo deployment scales out. {@code redisEngine} is the {@code engine.redis}
   * object without the prefix (a test may give addresses, Sentinel or Cluster keys).
   */
  public static TestCluster redisBroker(int n, String redisEngine, String extraConfig) {
    TestCluster c = new TestCluster(null, i -> extraConfig);
    c.hazelcast = false;
    c.redisEngine = redisEngine;
    List<CompletableFuture<TestNode>> starting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      starting.add(CompletableFuture.supplyAsync(() -> c.startNode(0, index)));
    }
    starting.forEach(f -> c.nodes.add(f.join()));
    c.awaitMembers();
    return c;
  }

  /** {@code n} nodes on the topology whose processes {@code backends} runs, {@code extraConfig} merged into each. */
  public static TestCluster on(Topology.Backends backends, int n, String extraConfig) {
    String config = RawClient.merge(backends.nodeConfig(), extraConfig);
    return backends.topology().hazelcast()
        ? start(n, i -> backends.redisAddress(), config)
        : redisBroker(n, backends.redisEngine(), config);
  }

  public static TestCluster redisBroker(int n, RedisProcess redis) {
    return redisBroker(n, "{\"address\": [\"" + redis.address() + "\"]}", "{}");
  }

  private String redisEngine;

  /** {@code redis} may be null for the memory engine. */
  public static TestCluster start(int n, RedisProcess redis) {
    return start(n, redis == null ? null : i -> redis.address(), "{}");
  }

  /**
   * Node {@code i} reaches Redis at {@code redisAddress.apply(i)} (null function: memory engine;
   * a proxy address lets a test cut one node off); {@code extraConfig} is merged into every node's config.
   */
  public static TestCluster start(int n, IntFunction<String> redisAddress, String extraConfig) {
    return start(n, redisAddress, i -> extraConfig);
  }

  /** As above, with {@code extraConfig.apply(i)} merged into node {@code i}'s config (for example its own certificate). */
  public static TestCluster start(int n, IntFunction<String> redisAddress, IntFunction<String> extraConfig) {
    TestCluster c = new TestCluster(redisAddress, extraConfig);
    for (int i = 0; i < n; i++) {
      c.hazelcastPorts.add(freePort());
    }
    // Nodes start in parallel: each join takes seconds.
    List<CompletableFuture<TestNode>> starting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int port = c.hazelcastPorts.get(i);
      int index = i;
      starting.add(CompletableFuture.supplyAsync(() -> c.startNode(port, index)));
    }
    starting.forEach(f -> c.nodes.add(f.join()));
    c.awaitMembers();
    return c;
  }

  /** The config of a further member on {@code hazelcastPort} (on the first node's Redis). */
  public String config(int hazelcastPort) {
    return config(hazelcastPort, 0);
  }

  public String config(int hazelcastPort, int index) {
    if (!hazelcast) {
      String engine = RawClient.merge(redisEngine, "{\"prefix\": \"" + prefix + "\"}");
      return RawClient.merge(RawClient.config("{\"engine\": {\"type\": \"redis\", \"redis\": " + engine + "}}"),
          extraConfig.apply(index));
    }
    String members = hazelcastPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(","));
    String engine = redisAddress == null ? "" : ", \"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\""
        + redisAddress.apply(index) + "\"], \"prefix\": \"" + prefix + "\"}}";
    String base = RawClient.config("{\"cluster\": {\"enabled\": true, \"name\": \"" + name + "\", \"host\": \"127.0.0.1\", "
        + "\"port\": " + hazelcastPort + ", \"members\": [" + members + "], \"heartbeat_timeout\": \"5s\"}"
        + engine + "}");
    return RawClient.merge(base, extraConfig.apply(index));
  }

  private TestNode startNode(int hazelcastPort, int index) {
    return TestNode.start(ConfigLoader.fromJson(config(hazelcastPort, index), Map.of()));
  }

  /** Adds a node (it joins through the existing members). */
  public TestNode add() {
    int port = hazelcast ? freePort() : 0;
    hazelcastPorts.add(port);
    TestNode n = startNode(port, hazelcastPorts.size() - 1);
    nodes.add(n);
    awaitMembers();
    return n;
  }

  /** Stops a node gracefully and waits until the others no longer route to it. */
  public void remove(TestNode n) throws Exception {
    nodes.remove(n);
    n.close();
    awaitMembers();
  }

  public TestNode node(int i) {
    return nodes.get(i);
  }

  public List<TestNode> nodes() {
    return List.copyOf(nodes);
  }

  /** Waits until every node knows exactly the current nodes as members. */
  public void awaitMembers() {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      List<String> ids = nodes.stream().map(n -> n.server().nodeId()).sorted().toList();
      boolean all = nodes.stream().allMatch(n -> n.server().members().stream().sorted().toList().equals(ids));
      if (all) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("cluster members did not converge: " + nodes.stream()
            .map(n -> n.server().members().toString()).toList());
      }
      try {
        Thread.sleep(50); // membership spreads through Hazelcast and hellos; poll for it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Polls presence_stats until it counts {@code clients} (presence is written after the subscribe reply). */
  public static com.fasterxml.jackson.databind.JsonNode awaitPresence(RawClient.Api api, String ch, int clients) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      var stats = api.result("presence_stats", "{\"channel\":\"" + ch + "\"}");
      if (stats.get("num_clients").asInt() == clients) {
        return stats;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("presence never reached " + clients + ": " + stats);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    for (TestNode n : nodes) {
      n.close();
    }
    nodes.clear();
  }
}
