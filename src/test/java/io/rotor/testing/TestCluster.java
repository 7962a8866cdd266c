package io.rotor.testing;

import io.rotor.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
  private final String engine;

  private TestCluster(String engine) {
    this.engine = engine;
  }

  /** {@code redis} may be null for the memory engine. */
  public static TestCluster start(int n, RedisProcess redis) {
    return start(n, redis, "");
  }

  /** {@code moreConfig}: further top-level keys for every node, as {@code , "key": {...}}. */
  public static TestCluster start(int n, RedisProcess redis, String moreConfig) {
    String engine = redis == null ? "" : ", \"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\""
        + redis.address() + "\"], \"prefix\": \"" + UUID.randomUUID() + "\"}}";
    TestCluster c = new TestCluster(engine + moreConfig);
    for (int i = 0; i < n; i++) {
      c.hazelcastPorts.add(freePort());
    }
    // Nodes start in parallel: each join takes seconds.
    List<CompletableFuture<TestNode>> starting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int port = c.hazelcastPorts.get(i);
      starting.add(CompletableFuture.supplyAsync(() -> c.startNode(port)));
    }
    starting.forEach(f -> c.nodes.add(f.join()));
    c.awaitMembers();
    return c;
  }

  public String config(int hazelcastPort) {
    String members = hazelcastPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(","));
    return RawClient.config("{\"cluster\": {\"enabled\": true, \"name\": \"" + name + "\", \"host\": \"127.0.0.1\", "
        + "\"port\": " + hazelcastPort + ", \"members\": [" + members + "], \"heartbeat_timeout\": \"5s\"}"
        + engine + "}");
  }

  private TestNode startNode(int hazelcastPort) {
    return TestNode.start(ConfigLoader.fromJson(config(hazelcastPort), Map.of()));
  }

  /** Adds a node (it joins through the existing members). */
  public TestNode add() {
    int port = freePort();
    hazelcastPorts.add(port);
    TestNode n = startNode(port);
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

  static int freePort() {
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
