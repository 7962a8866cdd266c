package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.Subscriber;
import io.rotor.testing.TcpProxy;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Broker gap (torture case 3): the channel owner's Redis connection runs through a TCP proxy that
 * the test breaks while publications flow. First the answers are lost while requests still arrive
 * (publications stored, offsets taken, never fanned out), then the connection is reset and
 * reconnects are refused, 5 s in all. Subscribers on both nodes must detect the gap and end with
 * every stored publication exactly once, in order. The second break is the last thing that
 * happens: no later publication reveals the gap, only the periodic position check can, and every
 * subscriber must be whole within one check interval (plus grace and a resubscribe) of the heal.
 */
@Tag("torture-fast")
class BrokerGapTest {

  private static final Duration CHECK = Duration.ofSeconds(2);
  private static final int SUBSCRIBERS_PER_NODE = 3;

  @Test
  void subscribersRecoverEveryPublicationAcrossARedisCut() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Subscriber> subscribers = new ArrayList<>();
    try (RedisProcess redis = RedisProcess.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port());
         TestCluster cluster = TestCluster.start(2, i -> i == 0 ? proxy.address() : redis.address(),
             "{\"client\": {\"channel_position_check_delay\": \"" + CHECK.toSeconds() + "s\"},"
                 + "\"channel\": {\"namespaces\": [{\"name\": \"gap\", \"history_size\": 100000,"
                 + " \"history_ttl\": \"600s\", \"force_recovery\": true, \"allow_subscribe_for_client\": true}]}}")) {
      List<String> ids = cluster.nodes().stream().map(n -> n.server().nodeId()).toList();
      String ch = ChannelOwners.channelOwnedBy("gap:c", ids.get(0), ids); // owned by the node whose Redis link breaks
      List<Integer> ports = cluster.nodes().stream().map(TestNode::port).toList();
      for (int i = 0; i < SUBSCRIBERS_PER_NODE * ports.size(); i++) {
        Subscriber s = new Subscriber(vertx, ch, ports, i % ports.size());
        s.start();
        subscribers.add(s);
      }
      for (Subscriber s : subscribers) {
        s.awaitSubscribed();
      }

      Publishers publishers = new Publishers(ch, ports);
      publishers.start();
      publishers.awaitAcked(300);
      proxy.loseReplies();
      Thread.sleep(1000); // the fault's duration, by design
      proxy.cut();
      Thread.sleep(4000);
      proxy.restore();
      int before = publishers.acked.size();
      publishers.awaitAcked(before + 300); // the owner reaches Redis again
      // The last break: nothing published afterwards shows the gap.
      proxy.loseReplies();
      Thread.sleep(500);
      publishers.stop();
      proxy.cut();
      Thread.sleep(500);
      proxy.restore();
      long healed = System.nanoTime();

      JsonNode top = new RawClient.Api(ports.get(1)).result("history", "{\"channel\":\"" + ch + "\",\"limit\":0}");
      long topOffset = top.get("offset").asLong();
      long ackedTop = publishers.acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.println("BROKER GAP: published " + publishers.attempts.get() + ", acknowledged "
          + publishers.acked.size() + ", stored (top) " + topOffset + ", acknowledged top " + ackedTop);
      assertTrue(topOffset > ackedTop, "publications were stored whose answers were lost: top " + topOffset
          + ", acknowledged top " + ackedTop);

      long limitMs = CHECK.toMillis() + 500 + 3000; // one interval, the grace, a resubscribe on a busy machine
      for (Subscriber s : subscribers) {
        s.awaitOffset(topOffset, Duration.ofSeconds(30));
      }
      long wholeMs = (System.nanoTime() - healed) / 1_000_000;
      System.out.println("BROKER GAP: every subscriber whole " + wholeMs + " ms after the heal");
      assertTrue(wholeMs <= limitMs, "subscribers stayed behind " + wholeMs + " ms, limit " + limitMs);

      int detected = 0;
      for (Subscriber s : subscribers) {
        s.stopRunning();
        assertEquals(List.of(), s.violations, "subscriber " + s.index);
        for (int k = 0; k < s.offsets.size(); k++) {
          assertEquals(k + 1, s.offsets.get(k), "subscriber " + s.index + ": every offset once, in order");
        }
        for (Map.Entry<Long, Long> a : publishers.acked.entrySet()) {
          assertEquals(a.getValue(), s.values.get((int) (a.getKey() - 1)), "acknowledged offset " + a.getKey());
        }
        assertEquals(1, s.epochs.size(), "one epoch");
        detected += s.insufficientState.get();
        System.out.println("BROKER GAP: subscriber on node " + s.initialNode + ": 2500 x " + s.insufficientState.get()
            + ", recoveries " + s.recoveries.get() + ", connections " + s.connections.get());
      }
      assertTrue(detected >= subscribers.size(), "every subscriber was told of a gap at least once: " + detected);
    } finally {
      subscribers.forEach(Subscriber::stopRunning);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** One publishing thread per node, ~150 publications/s each; an answered publish is acknowledged. */
  static final class Publishers {
    final Map<Long, Long> acked = new ConcurrentHashMap<>();
    final AtomicInteger attempts = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Publishers(String channel, List<Integer> ports) {
      for (int port : ports) {
        threads.add(new Thread(() -> {
          RawClient.Api api = new RawClient.Api(port);
          while (running.get()) {
            int value = attempts.incrementAndGet();
            try {
              HttpResponse<String> r = api.send(api.request("/api/publish",
                  "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + value + "}}")
                  .header("X-API-Key", TestNode.API_KEY).timeout(Duration.ofSeconds(5)).build());
              JsonNode body = RawClient.json(r.body());
              if (r.statusCode() == 200 && body.has("result")) {
                acked.put(body.get("result").get("offset").asLong(), (long) value);
                synchronized (this) {
                  notifyAll();
                }
              }
            } catch (Throwable e) {
              // not acknowledged
            }
            try {
              Thread.sleep(6); // pacing the publisher, not synchronisation
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "publisher-" + port));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    synchronized void awaitAcked(int n) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 30_000;
      while (acked.size() < n) {
        long left = deadline - System.currentTimeMillis();
        assertTrue(left > 0, "only " + acked.size() + " of " + n + " publications acknowledged");
        wait(left);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(15_000);
      }
    }
  }
}
