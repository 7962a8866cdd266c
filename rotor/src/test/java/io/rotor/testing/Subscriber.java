package io.rotor.testing;

import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber as an SDK behaves: on a lost connection it reconnects to the next node and
 * resubscribes with its position; on insufficient state (2500) it resubscribes likewise.
 */
public final class Subscriber extends Thread {
  public final int index;
  public final int initialNode;
  private final Vertx vertx;
  private final String channel;
  private final List<Integer> ports;
  public final List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
  public final List<Long> values = Collections.synchronizedList(new ArrayList<>());
  public final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  public final Set<String> epochs = ConcurrentHashMap.newKeySet();
  public final AtomicInteger recoveries = new AtomicInteger();
  /** Unsubscribe pushes with 2500 (insufficient state) received. */
  public final AtomicInteger insufficientState = new AtomicInteger();
  /** The close codes of this subscriber's connections that the server closed, in order. */
  public final List<Integer> closeCodes = Collections.synchronizedList(new ArrayList<>());
  /** Connections opened (the first one included). */
  public final AtomicInteger connections = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
  private volatile long last;
  /**
   * The node's {@code client.recovery_max_publication_limit}: a "not recovered" answer for a gap
   * larger than this is honest (the client was told; counted in {@link #toldGaps}), for a gap
   * within it a violation (the node refused a recovery it had to make). Nothing is honest when unset.
   */
  private volatile long recoveryLimit = Long.MAX_VALUE;
  /** Offsets [from, to] an honest "not recovered" skipped: the subscriber was told it lacks them. */
  public final List<long[]> toldGaps = Collections.synchronizedList(new ArrayList<>());
  private String epoch = "";
  private RawClient client;
  private int node;

  public Subscriber(Vertx vertx, String channel, List<Integer> ports, int node) {
    super("subscriber-" + node);
    this.vertx = vertx;
    this.channel = channel;
    this.ports = ports;
    this.node = node;
    this.initialNode = node;
    this.index = (int) (Math.random() * 1000);
  }

  @Override
  public void run() {
    boolean first = true;
    while (running.get()) {
      try {
        client = RawClient.open(vertx, ports.get(node)).autoPong(true);
        connections.incrementAndGet();
        client.connect(token("sub"));
        subscribe(!first);
        first = false;
        subscribed.countDown();
        while (running.get() && !client.isClosed()) {
          ObjectNode m;
          try {
            m = client.await(x -> x.has("push"), Duration.ofMillis(300));
          } catch (AssertionError timeoutOrClosed) {
            continue;
          }
          JsonNode push = m.get("push");
          if (push.has("pub") && channel.equals(push.path("channel").asText())) {
            accept(push.get("pub"));
          } else if (push.has("unsubscribe") && push.get("unsubscribe").get("code").asInt() >= 2500) {
            if (push.get("unsubscribe").get("code").asInt() == 2500) {
              insufficientState.incrementAndGet();
            }
            subscribe(true);
          }
        }
      } catch (Throwable e) {
        // connection refused or lost: try the next node
      }
      if (client != null) {
        if (client.isClosed()) {
          closeCodes.add(client.awaitClose(Duration.ZERO).code());
        }
        client.close();
        client = null;
      }
      node = (node + 1) % ports.size();
    }
  }

  private void subscribe(boolean recover) {
    ObjectNode body = RawClient.JSON.createObjectNode().put("channel", channel);
    if (recover) {
      body.put("recover", true).put("offset", last).put("epoch", epoch);
    }
    ObjectNode reply = client.call("subscribe", body);
    JsonNode r = reply.get("subscribe");
    if (r == null) {
      throw new IllegalStateException("subscribe failed: " + reply);
    }
    epoch = r.get("epoch").asText();
    epochs.add(epoch);
    if (recover) {
      if (!r.path("recovered").asBoolean()) {
        long top = r.path("offset").asLong();
        if (top - last > recoveryLimit) {
          // Told: the gap is over the node's recovery limit. The client continues from the top.
          toldGaps.add(new long[] {last + 1, top});
          synchronized (this) {
            last = top;
            notifyAll();
          }
          return;
        }
        violations.add("not recovered from offset " + last + " with the top at " + top + ", within the recovery limit "
            + recoveryLimit + ": " + r);
        return;
      }
      recoveries.incrementAndGet();
      for (JsonNode p : r.path("publications")) {
        accept(p);
      }
    } else {
      last = r.get("offset").asLong();
    }
  }

  private void accept(JsonNode pub) {
    long offset = pub.get("offset").asLong();
    if (offset != last + 1) {
      violations.add("offset " + offset + " after " + last);
      return;
    }
    offsets.add(offset);
    values.add(pub.get("data").get("n").asLong());
    synchronized (this) {
      last = offset;
      notifyAll();
    }
  }

  /**
   * Starts {@code count} subscribers to {@code channel} spread round-robin over the nodes, adds
   * them to {@code into} (for the caller to stop) and waits until each has subscribed.
   */
  public static void startSpread(Vertx vertx, String channel, List<Integer> ports, int count, List<Subscriber> into)
      throws InterruptedException {
    for (int i = 0; i < count; i++) {
      Subscriber s = new Subscriber(vertx, channel, ports, i % ports.size());
      s.start();
      into.add(s);
    }
    for (Subscriber s : into) {
      s.awaitSubscribed();
    }
  }

  /** Sets the node's recovery limit, telling an honest "not recovered" from a violation (see {@link #recoveryLimit}). */
  public Subscriber recoveryLimit(long limit) {
    this.recoveryLimit = limit;
    return this;
  }

  /** True when {@code offset} lies in a gap this subscriber was told about. */
  public boolean told(long offset) {
    synchronized (toldGaps) {
      return toldGaps.stream().anyMatch(g -> offset >= g[0] && offset <= g[1]);
    }
  }

  public void awaitSubscribed() throws InterruptedException {
    assertTrue(subscribed.await(30, TimeUnit.SECONDS), "subscriber did not subscribe");
  }

  /** The last offset received in order. */
  public long last() {
    return last;
  }

  /** Waits until this subscriber has received every offset up to {@code top}. */
  public synchronized void awaitOffset(long top, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (last < top) {
      long left = deadline - System.currentTimeMillis();
      assertTrue(left > 0, "subscriber " + index + " stuck at " + last + " of " + top + "; violations " + violations);
      wait(left);
    }
  }

  public void stopRunning() {
    running.set(false);
  }
}
