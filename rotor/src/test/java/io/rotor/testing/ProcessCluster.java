package io.rotor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Node JVMs on one {@link Topology} (by default clustered with Hazelcast on one real Redis), for the
 * torture tests (crash, rolling restart, partition): each node keeps its HTTP and Hazelcast ports,
 * so a node can be restarted in place. Also the pieces every such test shares: paced HTTP publishers that
 * record what was acknowledged, and the check that subscribers hold every acknowledged publication
 * once, in order, in one epoch.
 */
public final class ProcessCluster implements AutoCloseable {

  private final Topology.Backends backends;
  private final Path dir;
  private final List<String> configs = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Map<Integer, String> ids = new ConcurrentHashMap<>();

  private ProcessCluster(Topology.Backends backends, Path dir) {
    this.backends = backends;
    this.dir = dir;
  }

  /**
   * Starts Redis and {@code n} node processes; {@code overrides} (a JSON object) is merged over each
   * node's config, e.g. channel namespaces or a shorter heartbeat timeout.
   */
  public static ProcessCluster start(int n, String overrides) throws IOException {
    return start(n, overrides, Topology.HAZELCAST);
  }

  /**
   * As {@link #start(int, String)} on the given topology: without Hazelcast the cluster block is
   * left out and the nodes find each other through Redis and fan out through Redis or NATS.
   */
  public static ProcessCluster start(int n, String overrides, Topology topology) throws IOException {
    ProcessCluster c = new ProcessCluster(topology.start(), Files.createTempDirectory("rotor-cluster"));
    try {
      List<Integer> hz = new ArrayList<>();
      List<Integer> http = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        hz.add(freePort());
        http.add(freePort());
      }
      String name = "torture-" + UUID.randomUUID();
      String members = hz.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(","));
      for (int i = 0; i < n; i++) {
        String base = "{\"http_server\": {\"port\": " + http.get(i) + "},"
            + (topology.hazelcast() ? "\"cluster\": {\"enabled\": true, \"name\": \"" + name + "\", \"port\": "
                + hz.get(i) + ", \"members\": [" + members + "], \"heartbeat_timeout\": \"5s\","
                + " \"request_timeout\": \"2s\"}," : "")
            + "\"engine\": {\"type\": \"redis\", \"redis\": " + c.backends.redisEngine() + "}}";
        base = RawClient.merge(base, c.backends.nodeConfig());
        c.configs.add(RawClient.config(RawClient.merge(base, overrides)));
        c.nodes.add(NodeProcess.start(c.configs.get(i), http.get(i), c.dir));
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  public NodeProcess node(int i) {
    return nodes.get(i);
  }

  /** The processes the nodes run on (Redis, nats-server). */
  public Topology.Backends backends() {
    return backends;
  }

  public int size() {
    return nodes.size();
  }

  public List<Integer> ports() {
    return nodes.stream().map(NodeProcess::port).toList();
  }

  /** The node id (as the cluster routes by it) of node {@code i}, known after {@link #awaitCluster}. */
  public String nodeId(int i) {
    return ids.get(i);
  }

  /** Starts node {@code i} again with its config and ports (after it exited) and waits for /ready. */
  public NodeProcess restart(int i, long readySeconds) throws IOException, InterruptedException {
    assertTrue(!nodes.get(i).isAlive(), "node " + i + " is still running");
    NodeProcess p = NodeProcess.start(configs.get(i), nodes.get(i).port(), dir);
    nodes.set(i, p);
    p.awaitReady(p.port(), readySeconds);
    return p;
  }

  /** Waits until every running node's info lists exactly the running nodes; returns the ids by index. */
  public List<String> awaitCluster(Duration timeout) throws InterruptedException {
    return awaitMembers(java.util.stream.IntStream.range(0, nodes.size()).boxed().toList(), timeout);
  }

  /**
   * Waits until each of the given nodes answers info listing exactly the given nodes (each one's id
   * as it names itself): no node still routes to an id that is gone. Returns the ids by index.
   */
  public List<String> awaitMembers(List<Integer> indexes, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    String last = "";
    while (true) {
      boolean ready = true;
      Map<Integer, Set<String>> views = new java.util.HashMap<>();
      for (int i : indexes) {
        NodeProcess n = nodes.get(i);
        assertTrue(n.isAlive(), () -> "node exited: " + n.log());
        try {
          ObjectNode info = new RawClient.Api(n.port()).result("info", "{}");
          // The node answering is the first in its own list.
          ids.put(i, info.get("nodes").get(0).get("uid").asText());
          Set<String> view = new HashSet<>();
          info.get("nodes").forEach(x -> view.add(x.get("uid").asText()));
          views.put(i, view);
        } catch (Throwable e) {
          ready = false;
        }
      }
      if (ready) {
        Set<String> expected = indexes.stream().map(ids::get).collect(Collectors.toSet());
        ready = views.values().stream().allMatch(expected::equals);
        last = "expected " + expected + ", views " + views;
      }
      if (ready) {
        return java.util.stream.IntStream.range(0, nodes.size()).mapToObj(ids::get).toList();
      }
      assertTrue(System.currentTimeMillis() < deadline, "cluster did not settle: " + last);
      Thread.sleep(200); // polling the nodes' own view: there is no event to subscribe to from outside
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (NodeProcess n : nodes) {
      try {
        n.process().toHandle().children().forEach(ProcessHandle::destroyForcibly);
        if (n.isAlive()) {
          // a stopped process ignores SIGTERM until it is continued
          new ProcessBuilder("kill", "-CONT", String.valueOf(n.process().pid())).start().waitFor();
        }
        n.close();
      } catch (Exception e) {
        // best effort: the next node still has to stop
      }
    }
    backends.close();
  }

  /**
   * Publishers through the HTTP API: {@code perNode} sequential threads per chosen port, each
   * paced to one publication every {@code periodMicros}. A publication that was answered with an
   * offset is acknowledged and recorded with the time it was answered.
   */
  public static final class Publishers {
    /** Acknowledged publications: offset -> the value published. */
    public final Map<Long, Long> acked = new ConcurrentHashMap<>();
    /** Acknowledged publications: offset -> [when the request was sent, when the answer came] (ms). */
    public final Map<Long, long[]> ackedAt = new ConcurrentHashMap<>();
    /** Acknowledged publications: the value published -> "epoch/offset" it was acknowledged at. */
    public final Map<Long, String> ackedPosition = new ConcurrentHashMap<>();
    /** When each failed publication was sent (ms), and its failure. */
    public final Map<Long, List<String>> failedSentAt = new java.util.concurrent.ConcurrentSkipListMap<>();
    public final AtomicInteger published = new AtomicInteger();
    public final AtomicInteger failures = new AtomicInteger();
    public final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * {@code ports} is asked before every publication, so a test can take a node out of the
     * rotation while it is down.
     */
    public Publishers(String channel, Supplier<List<Integer>> ports, int threads, long periodMicros) {
      for (int w = 0; w < threads; w++) {
        int worker = w;
        Thread t = new Thread(() -> run(channel, ports, worker, periodMicros), "publisher-" + w);
        this.threads.add(t);
      }
    }

    public Publishers start() {
      threads.forEach(Thread::start);
      return this;
    }

    private void run(String channel, Supplier<List<Integer>> ports, int worker, long periodMicros) {
      long next = System.nanoTime();
      int turn = worker;
      while (running.get()) {
        List<Integer> available = ports.get();
        int port = available.get(turn++ % available.size());
        int value = published.incrementAndGet();
        long sent = System.currentTimeMillis();
        try {
          RawClient.Api api = new RawClient.Api(port);
          HttpResponse<String> r = api.send(api.request("/api/publish",
                  "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + value + "}}")
              .header("X-API-Key", TestNode.API_KEY).timeout(Duration.ofSeconds(5)).build());
          JsonNode body = RawClient.json(r.body());
          if (r.statusCode() == 200 && body.has("result")) {
            long offset = body.get("result").get("offset").asLong();
            acked.put(offset, (long) value);
            ackedPosition.put((long) value, body.get("result").path("epoch").asText() + "/" + offset);
            ackedAt.put(offset, new long[] {sent, System.currentTimeMillis()});
          } else {
            failure(sent, port + ": " + r.statusCode() + " " + r.body());
          }
        } catch (Throwable e) {
          failure(sent, port + ": " + e);
        }
        next += periodMicros * 1000;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the publisher, not synchronisation
          } catch (InterruptedException e) {
            return;
          }
        } else {
          next = System.nanoTime(); // behind (a node was down): do not burst to catch up
        }
      }
    }

    private void failure(long sent, String what) {
      failedSentAt.computeIfAbsent(sent, k -> Collections.synchronizedList(new ArrayList<>())).add(what);
      if (failures.incrementAndGet() % 200 == 1) {
        failureSamples.add(System.currentTimeMillis() % 100000 + " " + what);
      }
    }

    /** The highest acknowledged offset so far (0 if none). */
    public long top() {
      return acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * Of the publications sent at or after {@code sinceMs} and acknowledged, the first answered, as
     * [offset, answeredAt]; null if none.
     */
    public long[] firstAckedSentAfter(long sinceMs) {
      return ackedAt.entrySet().stream().filter(e -> e.getValue()[0] >= sinceMs)
          .min(java.util.Comparator.comparingLong(e -> e.getValue()[1]))
          .map(e -> new long[] {e.getKey(), e.getValue()[1]}).orElse(null);
    }

    /** The publications sent at or after {@code sinceMs} that failed: "sent-at: failure". */
    public List<String> failedSentAfter(long sinceMs) {
      List<String> out = new ArrayList<>();
      failedSentAt.forEach((t, what) -> {
        if (t >= sinceMs) {
          what.forEach(w -> out.add(t % 100000 + ": " + w));
        }
      });
      return out;
    }

    /**
     * Of the publications sent at or after {@code sinceMs} through a port other than
     * {@code exceptPort}, the failed ones: [how many, when the last was sent (ms, 0 if none)].
     */
    public long[] failuresSentAfter(long sinceMs, int exceptPort) {
      long count = 0;
      long last = 0;
      for (Map.Entry<Long, List<String>> e : failedSentAt.entrySet()) {
        if (e.getKey() < sinceMs) {
          continue;
        }
        synchronized (e.getValue()) {
          for (String what : e.getValue()) {
            if (!what.startsWith(exceptPort + ":")) {
              count++;
              last = Math.max(last, e.getKey());
            }
          }
        }
      }
      return new long[] {count, last};
    }

    /** Stops the publishers and waits for their last request. */
    public void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }

    public String summary() {
      return "published " + published.get() + ", acknowledged " + acked.size() + ", failed " + failures.get()
          + ", top offset " + top() + "; failure samples: " + failureSamples;
    }
  }

  /**
   * The same check for {@link LightSubscriber}s, which verify order and values as they receive:
   * every one reaches the acknowledged top with each offset once, in order, saw no violation, all
   * saw one epoch, and the value every subscriber saw at each acknowledged offset is the one
   * published there.
   */
  public static void assertCompleteLight(List<LightSubscriber> subscribers, LightSubscriber.Values values,
      Publishers publishers, Duration timeout) throws InterruptedException {
    long top = publishers.top();
    Await.until("every subscriber reaches offset " + top, timeout.toMillis(),
        () -> subscribers.stream().allMatch(s -> s.last() >= top || !s.violations.isEmpty()));
    Set<String> epochs = new HashSet<>();
    for (LightSubscriber s : subscribers) {
      s.stop();
      assertEquals(List.of(), s.violations, "subscriber " + s.index + " saw violations");
      assertTrue(s.last() >= top, "subscriber " + s.index + " reached " + s.last() + " of " + top);
      assertEquals(s.last(), s.received.get(), "subscriber " + s.index + ": every offset once, in order");
      epochs.addAll(s.epochs);
    }
    for (Map.Entry<Long, Long> a : publishers.acked.entrySet()) {
      assertEquals(a.getValue(), values.at(a.getKey()), "acknowledged publication at offset " + a.getKey());
    }
    assertEquals(1, epochs.size(), "one epoch: " + epochs);
  }

  /**
   * Every subscriber has every offset up to the acknowledged top once, in order, holds each
   * acknowledged publication at its offset, saw no violation, and all saw one epoch.
   */
  public static void assertComplete(List<Subscriber> subscribers, Publishers publishers, Duration timeout)
      throws InterruptedException {
    long top = publishers.top();
    for (Subscriber s : subscribers) {
      s.awaitOffset(top, timeout);
    }
    Set<String> epochs = new HashSet<>();
    int told = 0;
    long toldOffsets = 0;
    for (Subscriber s : subscribers) {
      s.stopRunning();
      // A silent gap is a violation (recorded as it arrived); an honest "not recovered" skipped
      // only offsets the subscriber was told about.
      assertEquals(List.of(), s.violations, "subscriber " + s.index + " saw violations");
      List<Long> offsets = new ArrayList<>(s.offsets);
      Map<Long, Long> held = new java.util.HashMap<>();
      long expected = 1;
      for (int k = 0; k < offsets.size(); k++) {
        while (s.told(expected)) {
          expected++;
        }
        assertEquals(expected, offsets.get(k), "subscriber " + s.index + ": every offset once, in order, but told gaps");
        held.put(offsets.get(k), s.values.get(k));
        expected++;
      }
      for (Map.Entry<Long, Long> a : publishers.acked.entrySet()) {
        if (!s.told(a.getKey())) {
          assertEquals(a.getValue(), held.get(a.getKey()),
              "subscriber " + s.index + " has acknowledged publication at offset " + a.getKey());
        }
      }
      for (long[] g : s.toldGaps) {
        toldOffsets += g[1] - g[0] + 1;
      }
      told += s.toldGaps.isEmpty() ? 0 : 1;
      epochs.addAll(s.epochs);
    }
    System.out.println("COMPLETE: " + subscribers.size() + " subscribers, " + told + " of them told they could not"
        + " recover (" + toldOffsets + " offsets over the recovery limit), none silently behind");
    assertEquals(1, epochs.size(), "one epoch: " + epochs);
  }
}
