package io.rotor.cluster;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes in one Hazelcast cluster on a Redis engine: publications reach subscribers on
 * every node in one order whichever node they are published through, presence and join/leave
 * cross nodes, the server API on one node acts on all, and channels move when nodes join or leave
 * without an offset assigned twice.
 */
class ClusterTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  static RedisProcess redis;
  static TestCluster cluster;
  static Vertx vertx;
  private final List<RawClient> clients = new ArrayList<>();

  /** The nodes' /metrics, which every topology's nodes serve (see everyNodeReportsTheNumberOfNodesInTheCluster). */
  static final String METRICS = "\"prometheus\": {\"enabled\": true}";

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    cluster = TestCluster.start(3, i -> redis.address(), "{" + METRICS + "}");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RawClient::close);
    clients.clear();
  }

  static String unique(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  RawClient client(TestNode on, String user) {
    RawClient c = RawClient.open(vertx, on.port());
    clients.add(c);
    c.connect(token(user));
    return c;
  }

  static RawClient.Api api(TestNode n) {
    return new RawClient.Api(n.port());
  }

  /** Reads {@code n} publications of a channel and returns their {@code data.n} values. */
  static List<Long> receive(RawClient c, String ch, int n, List<Long> offsets) {
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode p = c.await(pub(ch), Duration.ofSeconds(20)).get("push").get("pub");
      values.add(p.get("data").get("n").asLong());
      if (offsets != null) {
        offsets.add(p.get("offset").asLong());
      }
    }
    return values;
  }

  @Test
  void aPublicationReachesSubscribersOnEveryNodeOnce() {
    String ch = unique("route");
    RawClient a = client(cluster.node(0), "a");
    RawClient b = client(cluster.node(1), "b");
    RawClient c = client(cluster.node(2), "c");
    for (RawClient x : List.of(a, b, c)) {
      x.subscribe(ch);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, api(cluster.node(i)).publish(ch, "{\"n\":" + (i + 1) + "}"));
    }
    for (RawClient x : List.of(a, b, c)) {
      assertEquals(List.of(1L, 2L, 3L), receive(x, ch, 3, null));
    }
    // No duplicate arrives after them: the next publication is the next message.
    api(cluster.node(0)).publish(ch, "{\"n\":4}");
    for (RawClient x : List.of(a, b, c)) {
      assertEquals(List.of(4L), receive(x, ch, 1, null));
    }
  }

  @Test
  void oneSequentialPublisherIsSeenInOrderOnOtherNodes() {
    sequentialOrder(cluster, 2_000, vertx, clients);
  }

  static void sequentialOrder(TestCluster cluster, int count, Vertx vertx, List<RawClient> clients) {
    String ch = unique("seq");
    RawClient b = RawClient.open(vertx, cluster.node(1).port());
    RawClient c = RawClient.open(vertx, cluster.node(2).port());
    clients.add(b);
    clients.add(c);
    b.connect(token("b"));
    c.connect(token("c"));
    b.subscribe(ch);
    c.subscribe(ch);
    RawClient.Api a = api(cluster.node(0));
    for (int i = 1; i <= count; i++) {
      assertEquals(i, a.publish(ch, "{\"n\":" + i + "}"));
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= count; i++) {
      expected.add(i);
    }
    List<Long> offsets = new ArrayList<>();
    assertEquals(expected, receive(b, ch, count, offsets));
    assertEquals(expected, offsets);
    assertEquals(expected, receive(c, ch, count, null));
  }

  @Test
  void concurrentPublishersOnThreeNodesAreSeenInOneOrderEverywhere() throws Exception {
    String ch = unique("conc");
    List<RawClient> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawClient s = client(cluster.node(i), "s" + i);
      s.subscribe(ch);
      subs.add(s);
    }
    int perNode = 300;
    List<CompletableFuture<Void>> publishers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawClient.Api api = api(cluster.node(i));
      int base = i * 100_000;
      publishers.add(CompletableFuture.runAsync(() -> {
        for (int k = 1; k <= perNode; k++) {
          api.publish(ch, "{\"n\":" + (base + k) + "}");
        }
      }));
    }
    CompletableFuture.allOf(publishers.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
    List<Long> first = null;
    for (RawClient s : subs) {
      List<Long> offsets = new ArrayList<>();
      List<Long> seen = receive(s, ch, 3 * perNode, offsets);
      for (int k = 0; k < offsets.size(); k++) {
        assertEquals(k + 1, offsets.get(k), "offsets in order without gaps");
      }
      assertEquals(3 * perNode, new HashSet<>(seen).size(), "every publication once");
      if (first == null) {
        first = seen;
      } else {
        assertEquals(first, seen, "every subscriber sees the same order");
      }
    }
  }

  @Test
  void presenceAndJoinLeaveCrossNodes() throws Exception {
    String ch = unique("pres");
    RawClient watcher = client(cluster.node(0), "watcher");
    watcher.call("subscribe", RawClient.JSON.createObjectNode().put("channel", ch).put("join_leave", true));
    RawClient joiner = client(cluster.node(1), "joiner");
    joiner.subscribe(ch);
    ObjectNode join = watcher.await(m -> push(ch, "join").test(m)
        && "joiner".equals(m.get("push").get("join").get("info").get("user").asText()));
    assertEquals("joiner", join.get("push").get("join").get("info").get("user").asText());
    JsonNode stats = TestCluster.awaitPresence(api(cluster.node(2)), ch, 2);
    assertEquals(2, stats.get("num_users").asInt());
    joiner.call("unsubscribe", RawClient.JSON.createObjectNode().put("channel", ch));
    ObjectNode leave = watcher.await(push(ch, "leave"));
    assertEquals("joiner", leave.get("push").get("leave").get("info").get("user").asText());
  }

  @Test
  void serverApiOnOneNodeActsOnTheWholeCluster() {
    String user = unique("user");
    String ch = unique("api");
    RawClient onB = client(cluster.node(1), user);
    RawClient onC = client(cluster.node(2), user);
    onB.subscribe(ch);
    onC.subscribe(ch);

    ObjectNode channels = api(cluster.node(0)).result("channels", "{\"pattern\":\"" + ch + "\"}");
    assertEquals(2, channels.get("channels").get(ch).get("num_clients").asInt());
    ObjectNode info = api(cluster.node(0)).result("info", "{}");
    assertEquals(3, info.get("nodes").size());
    Set<String> uids = new HashSet<>();
    info.get("nodes").forEach(n -> uids.add(n.get("uid").asText()));
    assertEquals(Set.copyOf(cluster.nodes().stream().map(n -> n.server().nodeId()).toList()), uids);

    api(cluster.node(0)).result("unsubscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + ch + "\"}");
    assertEquals(2000, onB.await(push(ch, "unsubscribe")).get("push").get("unsubscribe").get("code").asInt());
    assertEquals(2000, onC.await(push(ch, "unsubscribe")).get("push").get("unsubscribe").get("code").asInt());

    String other = unique("sub");
    api(cluster.node(2)).result("subscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + other + "\"}");
    onB.await(push(other, "subscribe"));
    onC.await(push(other, "subscribe"));

    api(cluster.node(0)).result("disconnect", "{\"user\":\"" + user + "\"}");
    assertEquals(3503, onB.awaitClose().code());
    assertEquals(3503, onC.awaitClose().code());
  }

  @Test
  void everyNodeReportsTheNumberOfNodesInTheCluster() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (TestNode n : cluster.nodes()) {
      String scrape = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + n.port()
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^centrifugo_node_num_nodes (\\S+)$").matcher(scrape);
      assertTrue(m.find(), scrape);
      assertEquals(cluster.nodes().size(), Double.parseDouble(m.group(1)), "on " + n.server().nodeId());
    }
  }

  @Test
  void channelsMoveWhenNodesJoinAndLeaveWithoutReusingAnOffset() throws Exception {
    List<String> channels = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      channels.add(unique("move"));
    }
    RawClient watcher = client(cluster.node(0), "w");
    for (String ch : channels) {
      watcher.subscribe(ch);
      assertEquals(1, api(cluster.node(1)).publish(ch, "{\"n\":1}"));
    }
    TestNode added = cluster.add();
    try {
      for (String ch : channels) {
        assertEquals(2, api(added).publish(ch, "{\"n\":2}"), "a new owner continues the stream");
        assertEquals(3, api(cluster.node(2)).publish(ch, "{\"n\":3}"));
      }
    } finally {
      cluster.remove(added);
    }
    for (String ch : channels) {
      assertEquals(4, api(cluster.node(1)).publish(ch, "{\"n\":4}"), "the stream continues after its owner left");
    }
    for (String ch : channels) {
      List<Long> offsets = new ArrayList<>();
      List<Long> got = new ArrayList<>();
      // Publications of each channel arrive in order; a subscriber may have been told to
      // resubscribe (2500) if interest moved mid-way, so read what arrives for this channel.
      while (offsets.size() < 4) {
        ObjectNode m = watcher.await(x -> pub(ch).test(x) || push(ch, "unsubscribe").test(x), Duration.ofSeconds(20));
        if (m.get("push").has("unsubscribe")) {
          throw new AssertionError("subscriber lost its position on " + ch + " after " + offsets);
        }
        JsonNode p = m.get("push").get("pub");
        offsets.add(p.get("offset").asLong());
        got.add(p.get("data").get("n").asLong());
      }
      assertEquals(List.of(1L, 2L, 3L, 4L), offsets);
      assertEquals(List.of(1L, 2L, 3L, 4L), got);
    }
  }

  @Test
  void aVertxServicePublishesThroughTheEventBusApi() throws Exception {
    String ch = unique("eb");
    RawClient sub = client(cluster.node(2), "eb");
    sub.subscribe(ch);
    // A separate clustered Vert.x (as a backend service would be) joins and publishes.
    TestNode joinerConfigHolder = cluster.node(0);
    io.rotor.config.RotorOptions o = io.rotor.config.ConfigLoader.fromJson(
        cluster.config(freePort()), java.util.Map.of());
    Vertx service = io.rotor.cluster.ClusterVertx.create(o).await(60, TimeUnit.SECONDS);
    try {
      io.rotor.examples.EventBusPublisher publisher = new io.rotor.examples.EventBusPublisher("rotor.api", ch);
      service.deployVerticle(publisher).await(10, TimeUnit.SECONDS);
      io.vertx.core.json.JsonObject reply = publisher.publish(new io.vertx.core.json.JsonObject().put("n", 7))
          .await(10, TimeUnit.SECONDS);
      assertTrue(reply.containsKey("result"), () -> "no result: " + reply);
      assertEquals(1, reply.getJsonObject("result").getLong("offset"));
      assertEquals(List.of(7L), receive(sub, ch, 1, null));
      io.vertx.core.json.JsonObject bad = service.eventBus().<io.vertx.core.json.JsonObject>request("rotor.api",
          new io.vertx.core.json.JsonObject().put("method", "nope")).await(10, TimeUnit.SECONDS).body();
      assertEquals(104, bad.getJsonObject("error").getInteger("code"));
    } finally {
      service.close().await(20, TimeUnit.SECONDS);
    }
    assertTrue(joinerConfigHolder.port() > 0);
  }

  /**
   * What one publication costs: published through node 0 to a channel owned by node 1, with
   * subscribers on nodes 1 and 2 (node 0 has none). Counted: event-bus messages each node sent
   * (Cluster counters) and Redis commands (INFO commandstats, which also counts the commands the
   * Lua script runs).
   */
  @Test
  void onePublicationCostsOneRequestToTheOwnerAndOneMessagePerRemoteSubscriberNode() throws Exception {
    TestNode entry = cluster.node(0);
    TestNode owner = cluster.node(1);
    TestNode other = cluster.node(2);
    String ch = null;
    for (int i = 0; ch == null; i++) {
      String candidate = "cost" + i + "-" + NAMES.incrementAndGet();
      if (ownerOf(candidate).equals(owner.server().nodeId())) {
        ch = candidate;
      }
    }
    RawClient s1 = client(owner, "s1");
    RawClient s2 = client(other, "s2");
    s1.subscribe(ch);
    s2.subscribe(ch);
    api(entry).publish(ch, "{\"n\":0}"); // warm-up: scripts loaded, connections open
    receive(s1, ch, 1, null);
    receive(s2, ch, 1, null);

    int n = 200;
    List<java.util.Map<String, Long>> before = cluster.nodes().stream().map(x -> x.server().cluster().sentCounts()).toList();
    java.util.Map<String, Long> redisBefore = redisWork(List.of(redis));
    for (int i = 1; i <= n; i++) {
      api(entry).publish(ch, "{\"n\":" + i + "}");
    }
    receive(s1, ch, n, null);
    receive(s2, ch, n, null);
    java.util.Map<String, Long> redisAfter = redisWork(List.of(redis));
    java.util.Map<String, Long> messages = new java.util.TreeMap<>();
    for (int i = 0; i < cluster.nodes().size(); i++) {
      java.util.Map<String, Long> b = before.get(i);
      cluster.node(i).server().cluster().sentCounts().forEach((op, count) ->
          messages.merge(op, count - b.getOrDefault(op, 0L), Long::sum));
    }
    java.util.Map<String, Long> commands = commandsRun(redisBefore, redisAfter);
    System.out.println("COST per " + n + " publications: event-bus " + messages + "; redis " + commands);
    assertEquals(n, messages.getOrDefault("seq-publish", 0L), "one request to the owner per publication");
    assertEquals(n, messages.getOrDefault("pub", 0L), "one message per remote node with subscribers");
    assertEquals(n, publicationScripts(commands), "one script call per publication");
    assertEquals(n, commands.getOrDefault("xadd", 0L) - commands.getOrDefault(PROBE_APPENDS, 0L), "one append per publication");
  }

  /**
   * The script calls that are not background work, which may fall inside the measured window on a
   * slow machine: presence refreshes (a timer; one script with one ZADD each) and the liveness
   * probes' appends (every node, every 10 s; one script each, counted by {@link #redisWork}).
   */
  static long publicationScripts(java.util.Map<String, Long> commands) {
    return commands.getOrDefault("evalsha", 0L) - commands.getOrDefault("zadd", 0L)
        - commands.getOrDefault(PROBE_APPENDS, 0L);
  }

  static final String PROBE_APPENDS = "(liveness probe appends)";

  /**
   * {@code INFO commandstats} of these masters, summed, plus {@link #PROBE_APPENDS}: the liveness
   * probes' appends so far (the top offsets of the probe streams, whatever the key prefix and hash tags).
   */
  static java.util.Map<String, Long> redisWork(List<RedisProcess> masters) throws java.io.IOException {
    java.util.Map<String, Long> sum = new java.util.HashMap<>();
    long probes = 0;
    for (RedisProcess r : masters) {
      r.commandStats().forEach((k, v) -> sum.merge(k, v, Long::sum));
      for (String key : r.command("KEYS", "*.meta.*__rotor_probe.*").split(" ")) {
        String top = key.isEmpty() ? null : r.command("HGET", key, "s");
        probes += top == null ? 0 : Long.parseLong(top);
      }
    }
    sum.put(PROBE_APPENDS, probes);
    return sum;
  }

  /** Redis commands run between two {@link #redisWork} readings, without the readings' own commands. */
  static java.util.Map<String, Long> commandsRun(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    java.util.Map<String, Long> commands = new java.util.TreeMap<>();
    after.forEach((cmd, count) -> {
      long d = count - before.getOrDefault(cmd, 0L);
      if (d > 0 && !cmd.equals("info") && !cmd.equals("keys") && !cmd.equals("hget")) {
        commands.put(cmd, d);
      }
    });
    return commands;
  }

  static String ownerOf(String channel) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    for (TestNode n : cluster.nodes()) {
      String id = n.server().nodeId();
      long score = Members.score(id, channel);
      if (best == null || score > bestScore || score == bestScore && id.compareTo(best) < 0) {
        best = id;
        bestScore = score;
      }
    }
    return best;
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unused")
  private static boolean ok(HttpResponse<String> r) {
    return r.statusCode() == 200 && r.body().contains("\"result\"");
  }
}
