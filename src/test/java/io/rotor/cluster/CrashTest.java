package io.rotor.cluster;

import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.NodeProcess;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.Subscriber;
import io.vertx.core.Vertx;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node process is killed with SIGKILL while ~1000 publications per second go round-robin through
 * the three nodes' HTTP API. Every subscriber must end with every acknowledged publication exactly
 * once, in offset order, in one epoch; the dead node's subscribers reconnect to the others and
 * recover. The killed node owns the channel, so its sequencer moves too.
 */
@Tag("slow")
@Tag("torture")
class CrashTest {

  private static final int NODES = 3;
  private static final int PUBLISH_SECONDS = 25;
  private static final int KILL_AFTER_MS = 5_000;

  @Test
  void killingANodeMidStreamLosesNoAcknowledgedPublication() throws Exception {
    Path dir = Files.createTempDirectory("rotor-crash");
    List<NodeProcess> nodes = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    List<Subscriber> subscribers = new ArrayList<>();
    try (RedisProcess redis = RedisProcess.start()) {
      List<Integer> hz = new ArrayList<>();
      List<Integer> http = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        hz.add(freePort());
        http.add(freePort());
      }
      String name = "crash-" + UUID.randomUUID();
      String members = hz.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(","));
      for (int i = 0; i < NODES; i++) {
        String config = RawClient.config("{\"http_server\": {\"port\": " + http.get(i) + "},"
            + "\"cluster\": {\"enabled\": true, \"name\": \"" + name + "\", \"port\": " + hz.get(i)
            + ", \"members\": [" + members + "], \"heartbeat_timeout\": \"5s\", \"request_timeout\": \"2s\"},"
            + "\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\"" + redis.address() + "\"]}},"
            + "\"channel\": {\"namespaces\": [{\"name\": \"crash\", \"history_size\": 100000, \"history_ttl\": \"600s\","
            + " \"force_recovery\": true, \"allow_subscribe_for_client\": true}]}}");
        nodes.add(NodeProcess.start(config, http.get(i), dir));
      }
      List<String> ids = awaitCluster(nodes);
      // The channel is owned by the node that will die: its sequencer has to move.
      String victimId = ids.get(NODES - 1);
      String ch = null;
      for (int i = 0; ch == null; i++) {
        String candidate = "crash:c" + i;
        if (owner(ids, candidate).equals(victimId)) {
          ch = candidate;
        }
      }
      NodeProcess victim = nodes.stream().filter(n -> nodeId(n).equals(victimId)).findFirst().orElseThrow();

      for (int i = 0; i < NODES * 2; i++) {
        Subscriber s = new Subscriber(vertx, ch, nodes.stream().map(NodeProcess::port).toList(), i % NODES);
        s.start();
        subscribers.add(s);
      }
      for (Subscriber s : subscribers) {
        s.awaitSubscribed();
      }

      // Publishers: one thread per node, ~333/s each, sequential; an answered publish is acknowledged.
      Map<Long, Long> acked = new ConcurrentHashMap<>(); // offset -> n
      AtomicInteger counter = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      long end = System.currentTimeMillis() + PUBLISH_SECONDS * 1000L;
      List<Thread> publishers = new ArrayList<>();
      for (NodeProcess n : nodes) for (int worker = 0; worker < 2; worker++) {
        String channel = ch;
        Thread t = new Thread(() -> {
          RawClient.Api api = new RawClient.Api(n.port());
          long next = System.nanoTime();
          while (System.currentTimeMillis() < end) {
            int value = counter.incrementAndGet();
            try {
              HttpResponse<String> r = api.send(api.request("/api/publish",
                      "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + value + "}}")
                  .header("X-API-Key", io.rotor.testing.TestNode.API_KEY).timeout(Duration.ofSeconds(5)).build());
              JsonNode body = RawClient.json(r.body());
              if (r.statusCode() == 200 && body.has("result")) {
                acked.put(body.get("result").get("offset").asLong(), (long) value);
              } else {
                failure(failures, r.statusCode() + " " + r.body());
              }
            } catch (Throwable e) {
              failure(failures, e.toString());
            }
            next += 6_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
              try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the publisher, not synchronisation
              } catch (InterruptedException e) {
                return;
              }
            }
          }
        }, "publisher-" + n.port() + "-" + worker);
        publishers.add(t);
        t.start();
      }
      Thread.sleep(KILL_AFTER_MS); // mid-stream, by design
      long topAtKill = acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      victim.kill9();
      System.out.println("CRASH: killed at " + System.currentTimeMillis() % 100000);
      for (Thread t : publishers) {
        t.join(60_000);
      }
      long top = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.println("CRASH: published " + counter.get() + ", acknowledged " + acked.size() + ", failed "
          + failures.get() + ", top offset " + top + "; failures: " + failureSamples);
      assertTrue(topAtKill > 100, "publications were flowing before the kill: " + topAtKill);
      assertTrue(top > topAtKill + 100, "publishing went on after the kill (the channel moved to a new owner): "
          + topAtKill + " -> " + top);

      for (Subscriber s : subscribers) {
        s.awaitOffset(top, Duration.ofSeconds(90));
      }
      Set<String> epochs = new HashSet<>();
      for (Subscriber s : subscribers) {
        s.stopRunning();
        assertEquals(List.of(), s.violations, "subscriber " + s.index + " saw violations");
        List<Long> offsets = s.offsets;
        for (int k = 0; k < offsets.size(); k++) {
          assertEquals(k + 1, offsets.get(k), "subscriber " + s.index + ": every offset once, in order");
        }
        for (Map.Entry<Long, Long> a : acked.entrySet()) {
          assertEquals(a.getValue(), s.values.get((int) (a.getKey() - 1)),
              "subscriber " + s.index + " has acknowledged publication at offset " + a.getKey());
        }
        epochs.addAll(s.epochs);
        if (s.initialNode == nodes.indexOf(victim)) {
          assertTrue(s.recoveries.get() >= 1, "subscriber " + s.index + " of the dead node reconnected and recovered");
        }
      }
      assertEquals(1, epochs.size(), "one epoch: " + epochs);
    } finally {
      subscribers.forEach(Subscriber::stopRunning);
      for (NodeProcess n : nodes) {
        n.close();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());

  private void failure(AtomicInteger failures, String what) {
    if (failures.incrementAndGet() % 200 == 1) {
      failureSamples.add(System.currentTimeMillis() % 100000 + " " + what);
    }
  }

  private final Map<NodeProcess, String> nodeIds = new ConcurrentHashMap<>();

  private String nodeId(NodeProcess n) {
    return nodeIds.get(n);
  }

  /** Waits until every node's info lists all nodes; returns their ids. */
  private List<String> awaitCluster(List<NodeProcess> nodes) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      boolean ready = true;
      for (NodeProcess n : nodes) {
        assertTrue(n.isAlive(), () -> "node exited: " + n.log());
        try {
          RawClient.Api api = new RawClient.Api(n.port());
          ObjectNode info = api.result("info", "{}");
          if (info.get("nodes").size() != nodes.size()) {
            ready = false;
          }
          // The node answering is the first in its own list.
          nodeIds.put(n, info.get("nodes").get(0).get("uid").asText());
        } catch (Throwable e) {
          ready = false;
        }
      }
      if (ready) {
        return nodes.stream().map(this::nodeId).toList();
      }
      assertTrue(System.currentTimeMillis() < deadline, "cluster did not form");
      Thread.sleep(200); // processes start and join: poll
    }
  }

  static String owner(List<String> ids, String channel) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    for (String id : ids) {
      long score = Members.score(id, channel);
      if (best == null || score > bestScore || score == bestScore && id.compareTo(best) < 0) {
        best = id;
        bestScore = score;
      }
    }
    return best;
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
