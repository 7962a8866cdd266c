package io.rotor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * A subscriber cheap enough to run hundreds in one test JVM: event-driven on a WebSocket client
 * shared by all of them, publications read by scanning the frame's bytes for the offset and the
 * data's numbers (no JSON tree per message), verified as they arrive instead of stored. It behaves
 * as an SDK does: on a lost connection it reconnects to the next node and resubscribes from its
 * position with recovery; on insufficient state (2500) it resubscribes likewise.
 *
 * <p>Publications must carry {@code {"n": value, ...}} as data, optionally {@code "t": micros} (the
 * publisher's {@code System.nanoTime() / 1000}) for latency, with nothing before {@code "n"}.
 */
public final class LightSubscriber {

  /** One shared WebSocket client for a set of subscribers (Vert.x clients must stay reachable). */
  public static WebSocketClient client(Vertx vertx) {
    return vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(16 << 20).setMaxMessageSize(16 << 20).setConnectTimeout(10_000)
        .setMaxConnections(100_000)); // the default (50 per server) would queue the rest
  }

  /**
   * The value every subscriber saw at each offset (0: not seen yet): the first one to see an offset
   * fixes it, every other must see the same, so no subscriber has to keep its publications.
   */
  public static final class Values {
    private final AtomicLongArray byOffset;
    /** Streams of later epochs (after a failover), which number their offsets again. */
    private final Map<String, AtomicLongArray> byEpoch = new ConcurrentHashMap<>();
    private final int maxOffset;
    private volatile String firstEpoch;

    public Values(int maxOffset) {
      this.maxOffset = maxOffset;
      byOffset = new AtomicLongArray(maxOffset + 1);
    }

    /** Records {@code value} at {@code offset}; false if another value was seen there. */
    boolean agree(long offset, long value) {
      return agree(byOffset, offset, value);
    }

    /** As {@link #agree(long, long)} within one epoch of the stream. */
    synchronized boolean agree(String epoch, long offset, long value) {
      if (firstEpoch == null) {
        firstEpoch = epoch;
      }
      AtomicLongArray a = epoch.equals(firstEpoch) ? byOffset
          : byEpoch.computeIfAbsent(epoch, e -> new AtomicLongArray(maxOffset + 1));
      return agree(a, offset, value);
    }

    private static boolean agree(AtomicLongArray a, long offset, long value) {
      if (offset >= a.length()) {
        return false;
      }
      return a.compareAndSet((int) offset, 0, value) || a.get((int) offset) == value;
    }

    public long at(long offset) {
      return byOffset.get((int) offset);
    }
  }

  public final int index;
  public final int initialNode;
  private final WebSocketClient client;
  private final Vertx vertx;
  private final String channel;
  private final List<Integer> ports;
  private final Values values;
  private final LongConsumer latencyMicros;
  private final String connectCommand;
  /** Order violations, recovery failures and value disagreements; empty when all is well. */
  public final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  public final Set<String> epochs = ConcurrentHashMap.newKeySet();
  public final AtomicInteger recoveries = new AtomicInteger();
  /** Unsubscribe pushes with 2500 (insufficient state) received. */
  public final AtomicInteger insufficientState = new AtomicInteger();
  /** Connections opened (the first one included). */
  public final AtomicInteger connections = new AtomicInteger();
  /** Publications received in order (live and recovered). */
  public final AtomicInteger received = new AtomicInteger();
  /** The close codes of this subscriber's connections that the server closed, in order. */
  public final List<Integer> closeCodes = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile long last = -1;
  private String epoch = "";
  private int node;
  private WebSocket ws;
  private volatile Throwable lastFailure;
  /**
   * When set, an honest "not recovered" answer (the stream lost publications, say in a Redis
   * failover, and the server said so) is counted, not a violation: the subscriber continues from
   * the position the server gave, as an SDK does, and keeps the values it received for the check.
   * A gap no one told it about stays a violation.
   */
  private volatile boolean toleratesToldLoss;
  /** Subscribe answers with a temporary error, retried (only when loss is tolerated). */
  public final AtomicInteger temporaryErrors = new AtomicInteger();
  /** Answers with recovered: false (only counted when loss is tolerated). */
  public final AtomicInteger notRecovered = new AtomicInteger();
  /** Every value received (only kept when loss is tolerated). */
  public final Set<Long> seen = ConcurrentHashMap.newKeySet();
  /** What "not recovered" answers moved the position by, beyond what was received (may be negative). */
  private volatile long skipped;

  /**
   * @param values shared across the subscribers of a test, or null to skip the value check
   * @param latencyMicros called with each live publication's latency, or null
   * @param token the connection token, or null to connect anonymously
   */
  public LightSubscriber(Vertx vertx, WebSocketClient client, String channel, List<Integer> ports, int node,
      int index, Values values, LongConsumer latencyMicros, String token) {
    this.vertx = vertx;
    this.client = client;
    this.channel = channel;
    this.ports = ports;
    this.node = node;
    this.initialNode = node;
    this.index = index;
    this.values = values;
    this.latencyMicros = latencyMicros;
    this.connectCommand = "{\"id\":1,\"connect\":{" + (token == null ? "" : "\"token\":\"" + token + "\"") + "}}";
  }

  /** Starts {@code count} subscribers spread round-robin over the nodes and waits until each has subscribed. */
  public static List<LightSubscriber> startSpread(Vertx vertx, WebSocketClient client, String channel,
      List<Integer> ports, int count, Values values, LongConsumer latencyMicros) throws InterruptedException {
    List<LightSubscriber> all = new ArrayList<>();
    String token = RawClient.token("sub");
    for (int i = 0; i < count; i++) {
      all.add(new LightSubscriber(vertx, client, channel, ports, i % ports.size(), i, values, latencyMicros, token));
    }
    open(all);
    return all;
  }

  /** Connects each subscriber and waits until every one has subscribed. */
  public static void open(List<LightSubscriber> all) throws InterruptedException {
    for (int i = 0; i < all.size(); i++) {
      LightSubscriber s = all.get(i);
      s.open();
      if (i % 50 == 49) {
        s.awaitSubscribed(); // in waves, so a slow machine does not time out a thousand handshakes at once
      }
    }
    for (LightSubscriber s : all) {
      s.awaitSubscribed();
    }
  }

  private void open() {
    if (!running) {
      return;
    }
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(ports.get(node))
        .setURI("/connection/websocket").setAllowOriginHeader(false);
    client.connect(o).onComplete(ar -> {
      if (ar.failed()) {
        lastFailure = ar.cause();
        retryNextNode();
        return;
      }
      ws = ar.result();
      connections.incrementAndGet();
      ws.handler(frame -> {
        try {
          onFrame(frame);
        } catch (RuntimeException e) {
          violations.add("failed on a frame: " + e);
        }
      });
      ws.closeHandler(v -> {
        if (ws.closeStatusCode() != null) {
          closeCodes.add((int) ws.closeStatusCode());
        }
        retryNextNode();
      });
      ws.exceptionHandler(e -> { });
      ws.writeTextMessage(connectCommand);
    });
  }

  private void retryNextNode() {
    ws = null;
    if (!running) {
      return;
    }
    node = (node + 1) % ports.size();
    vertx.setTimer(100, t -> open());
  }

  private void onFrame(Buffer frame) {
    int start = 0;
    int n = frame.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || frame.getByte(i) == '\n') {
        if (i > start) {
          onMessage(frame, start, i);
        }
        start = i + 1;
      }
    }
  }

  private static final byte[] PUB_PREFIX = "{\"push\":{\"channel\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private void onMessage(Buffer frame, int from, int to) {
    if (startsWith(frame, from, to, PUB_PREFIX) && contains(frame, from, Math.min(to, from + 200), "\"pub\":{\"data\":")) {
      long offset = numberBefore(frame, from, to, "\"offset\":");
      long n = numberAfter(frame, from, to, "\"n\":");
      long t = numberAfter(frame, from, to, "\"t\":");
      accept(offset, n, t, true);
      return;
    }
    ObjectNode m = RawClient.json(frame.getString(from, to));
    if (m.isEmpty()) {
      ws.writeTextMessage("{}"); // the server's ping
    } else if (m.path("id").asInt() == 1) {
      if (!m.has("connect")) {
        violations.add("connect failed: " + m);
        ws.close();
        return;
      }
      subscribe(last >= 0);
    } else if (m.path("id").asInt() == 2) {
      onSubscribed(m);
    } else if (m.path("push").has("unsubscribe") && m.path("push").path("unsubscribe").path("code").asInt() >= 2500) {
      if (m.path("push").path("unsubscribe").path("code").asInt() == 2500) {
        insufficientState.incrementAndGet();
      }
      subscribe(true);
    }
  }

  /** See {@link #toleratesToldLoss}; call before the first connection. */
  public LightSubscriber toleratingToldLoss() {
    toleratesToldLoss = true;
    return this;
  }

  private void subscribe(boolean recover) {
    String body = "{\"channel\":\"" + channel + "\""
        + (recover ? ",\"recover\":true,\"offset\":" + last + ",\"epoch\":\"" + epoch + "\"" : "") + "}";
    ws.writeTextMessage("{\"id\":2,\"subscribe\":" + body + "}");
  }

  private void onSubscribed(ObjectNode reply) {
    JsonNode r = reply.get("subscribe");
    if (r == null && toleratesToldLoss && reply.path("error").path("temporary").asBoolean()) {
      // As the SDKs do with a temporary error (the engine is failing over): try again shortly.
      temporaryErrors.incrementAndGet();
      WebSocket w = ws;
      vertx.setTimer(200, t -> {
        if (w == ws && w != null) {
          subscribe(last >= 0);
        }
      });
      return;
    }
    if (r == null) {
      violations.add("subscribe failed: " + reply);
      ws.close();
      return;
    }
    epoch = r.path("epoch").asText();
    epochs.add(epoch);
    if (last >= 0) {
      if (!r.path("recovered").asBoolean() && toleratesToldLoss) {
        // Told: the server's position is the subscriber's from now on.
        notRecovered.incrementAndGet();
        long top = r.path("offset").asLong();
        skipped = top - received.get(); // so that received + skipped is the position again
        last = top;
        subscribed.countDown();
        return;
      }
      if (!r.path("recovered").asBoolean()) {
        violations.add("not recovered from offset " + last + ": " + r);
        return;
      }
      recoveries.incrementAndGet();
      for (JsonNode p : r.path("publications")) {
        accept(p.get("offset").asLong(), p.get("data").get("n").asLong(), -1, false);
      }
    } else {
      last = r.path("offset").asLong();
    }
    subscribed.countDown();
  }

  private void accept(long offset, long value, long sentMicros, boolean live) {
    if (last < 0) {
      return; // a publication before the subscribe reply: the reply's offset covers it
    }
    if (offset != last + 1) {
      if (offset > last + 1) {
        violations.add("offset " + offset + " after " + last);
      } else if (live) {
        // a live publication already received by recovery: the SDKs skip these too
        return;
      } else {
        violations.add("recovered offset " + offset + " after " + last);
      }
      return;
    }
    if (toleratesToldLoss) {
      seen.add(value);
    }
    if (values != null && !(toleratesToldLoss ? values.agree(epoch, offset, value) : values.agree(offset, value))) {
      violations.add("offset " + offset + " holds " + value + ", others saw " + values.at(offset));
    }
    if (live && latencyMicros != null && sentMicros >= 0) {
      latencyMicros.accept(System.nanoTime() / 1000 - sentMicros);
    }
    received.incrementAndGet();
    last = offset;
  }

  public void awaitSubscribed() throws InterruptedException {
    if (!subscribed.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("subscriber " + index + " did not subscribe: connections " + connections
          + ", close codes " + closeCodes + ", last failure " + lastFailure + ", violations " + violations);
    }
  }

  /** Offsets of its stream the subscriber holds or was told it could not have. */
  public long accounted() {
    return received.get() + skipped;
  }

  /** The last offset received in order (-1 before subscribing). */
  public long last() {
    return last;
  }

  public void stop() {
    running = false;
    WebSocket w = ws;
    if (w != null) {
      w.close();
    }
  }

  // ---- byte scanning ----------------------------------------------------------------------------

  private static boolean startsWith(Buffer b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b.getByte(from + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(Buffer b, int from, int to, String key) {
    outer:
    for (int i = from; i + key.length() <= to; i++) {
      for (int k = 0; k < key.length(); k++) {
        if (b.getByte(i + k) != key.charAt(k)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean contains(Buffer b, int from, int to, String key) {
    return indexOf(b, from, to, key) >= 0;
  }

  /** The number after the first {@code key} (searching forward), or -1. */
  private static long numberAfter(Buffer b, int from, int to, String key) {
    int i = indexOf(b, from, to, key);
    return i < 0 ? -1 : digits(b, i + key.length(), to);
  }

  /** The number after the last {@code key} (searching backward from the end: the offset follows the data). */
  private static long numberBefore(Buffer b, int from, int to, String key) {
    for (int i = to - key.length(); i >= from; i--) {
      boolean match = true;
      for (int k = 0; k < key.length() && match; k++) {
        match = b.getByte(i + k) == key.charAt(k);
      }
      if (match) {
        return digits(b, i + key.length(), to);
      }
    }
    return -1;
  }

  private static long digits(Buffer b, int at, int to) {
    long v = 0;
    int i = at;
    while (i < to && b.getByte(i) >= '0' && b.getByte(i) <= '9') {
      v = v * 10 + (b.getByte(i) - '0');
      i++;
    }
    return i == at ? -1 : v;
  }
}
