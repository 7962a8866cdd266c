package io.rotor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Thousands of WebSocket clients speaking the real protocol (JSON, v2) from one Vert.x instance,
 * each behaving as the SDKs do: connect, subscribe to its channel, answer pings; when the
 * connection is lost or refused, reconnect after an exponential backoff with full jitter
 * (centrifuge-js' defaults: 500 ms to 20 s, attempts reset once connected) and resubscribe with
 * {@code recover} from its last offset and epoch; on 2500 (insufficient state) resubscribe the same
 * way, and retries a subscribe answered with a temporary error after a backoff. A client gives up
 * on a connection whose connect is not answered within 10 s, as the SDKs' timeouts do.
 *
 * <p>Each client runs on one Vert.x context and keeps only counters and a running hash of the
 * values it accepted in order, so 10,000 of them cost a few megabytes. Anything out of order
 * (a gap, a duplicate, another epoch, a recovery answered {@code recovered: false}) is a violation.
 */
public final class ClientFleet implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIN_DELAY_MS = 500;
  private static final long MAX_DELAY_MS = 20_000;
  private static final long ANSWER_TIMEOUT_MS = 10_000;

  /** Upgrades refused with 503 by the connection rate limit (or connection limit). */
  public final LongAdder shed = new LongAdder();
  /** Upgrades refused with 503 because the node was draining (shutting down). */
  public final LongAdder drained = new LongAdder();
  /** Connection attempts that failed otherwise (refused while the node was down, timeouts). */
  public final LongAdder failed = new LongAdder();
  /** Subscribes with recover answered {@code recovered: true}. */
  public final LongAdder recoveries = new LongAdder();
  /** Publications recovered through those subscribes. */
  public final LongAdder recoveredPublications = new LongAdder();
  /** Unsubscribe pushes with 2500. */
  public final LongAdder insufficientState = new LongAdder();
  /** Connections given up for an unanswered connect or subscribe. */
  public final LongAdder answerTimeouts = new LongAdder();
  /** Subscribe errors answered, by code (temporary ones are retried as the SDKs do). */
  public final Map<Integer, LongAdder> subscribeErrors = new ConcurrentHashMap<>();
  /** Close codes of established connections, by code. */
  public final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
  /** The first violations seen (capped), with the client's index. */
  public final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final LongAdder violationCount = new LongAdder();

  private final Vertx vertx;
  private final WebSocketClient client;
  private final int port;
  private final String token;
  private final List<Member> members = new ArrayList<>();
  private final AtomicInteger subscribed = new AtomicInteger();
  private volatile boolean closed;

  /**
   * {@code count} clients to the node on {@code port}; client {@code i} subscribes to
   * {@code channelOf.apply(i)} with the connection token {@code token}. None connects before
   * {@link #start}.
   */
  public ClientFleet(int port, int count, IntFunction<String> channelOf, String token) {
    // Vert.x warns of every client connection it drops after a refused upgrade; a storm refuses thousands.
    if (org.slf4j.LoggerFactory.getLogger("io.vertx.core.http.impl.HttpClientConnectionInternal")
        instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    this.vertx = Vertx.vertx();
    this.port = port;
    this.token = token;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(count * 2)
        .setConnectTimeout((int) ANSWER_TIMEOUT_MS));
    for (int i = 0; i < count; i++) {
      // From a thread outside Vert.x, each call creates a context of its own (event loops in turn).
      members.add(new Member(i, channelOf.apply(i), vertx.getOrCreateContext()));
    }
  }

  /** Starts the clients, {@code perSecond} of them per second (as users arriving, not all at once). */
  public ClientFleet start(int perSecond) {
    for (Member m : members) {
      long delay = 1 + m.index * 1000L / perSecond;
      m.context.runOnContext(v -> vertx.setTimer(delay, t -> m.connect()));
    }
    return this;
  }

  /** How many clients are connected and subscribed now. */
  public int subscribed() {
    return subscribed.get();
  }

  public int size() {
    return members.size();
  }

  public List<Member> members() {
    return Collections.unmodifiableList(members);
  }

  public long violationCount() {
    return violationCount.sum();
  }

  /** A line for failure messages: where the fleet stands. */
  public String status() {
    return "subscribed " + subscribed.get() + " of " + members.size() + ", 503 shed " + shed.sum() + ", 503 draining "
        + drained.sum() + ", failed attempts " + failed.sum() + ", unanswered " + answerTimeouts.sum() + ", close codes "
        + closeCodes + ", subscribe errors " + subscribeErrors + ", violations " + violationCount.sum() + " " + violations.subList(0, Math.min(5, violations.size()));
  }

  /** Close codes so far, summed. */
  public long closes() {
    return closeCodes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  @Override
  public void close() throws Exception {
    closed = true;
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** The backoff of centrifuge-js: full jitter over an exponentially growing interval, capped. */
  static long backoff(int attempt) {
    long interval = Math.min(MAX_DELAY_MS, MIN_DELAY_MS << Math.min(attempt, 16));
    return Math.min(MAX_DELAY_MS, MIN_DELAY_MS + ThreadLocalRandom.current().nextLong(interval + 1));
  }

  /** One client. Its fields change only on its context; the volatile ones are read by the test. */
  public final class Member {
    public final int index;
    public final String channel;
    private final Context context;
    private WebSocket ws;
    private int attempts;
    private int subscribeAttempts;
    private boolean connectAnswered;
    private int nextId = 1;
    private int connectId;
    private int subscribeId;
    private boolean positioned;
    private volatile boolean isSubscribed;
    private volatile long offset;
    private volatile String epoch;
    private volatile long received;
    private volatile long hash = 1;
    private volatile int connections;

    Member(int index, String channel, Context context) {
      this.index = index;
      this.channel = channel;
      this.context = context;
    }

    /** The last offset accepted in order. */
    public long offset() {
      return offset;
    }

    public String epoch() {
      return epoch;
    }

    /** Publications accepted in order (live and recovered). */
    public long received() {
      return received;
    }

    /** A running hash over the values accepted, in order: see {@link ClientFleet#hash}. */
    public long hash() {
      return hash;
    }

    /** Connections established (the first included). */
    public int connections() {
      return connections;
    }

    public boolean isSubscribed() {
      return isSubscribed;
    }

    void connect() {
      if (closed) {
        return;
      }
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/connection/websocket").setAllowOriginHeader(false)).onComplete(ar -> {
            if (ar.failed()) {
              if (ar.cause() instanceof UpgradeRejectedException r && r.getStatus() == 503) {
                (r.getBody() != null && r.getBody().toString().contains("shutting down") ? drained : shed).increment();
              } else if (ar.cause() instanceof UpgradeRejectedException r) {
                violation("upgrade answered " + r.getStatus() + " " + r.getBody());
                failed.increment();
              } else {
                failed.increment();
              }
              retry();
              return;
            }
            opened(ar.result());
          });
    }

    private void opened(WebSocket socket) {
      ws = socket;
      connections++;
      socket.textMessageHandler(text -> {
        if (ws == socket) {
          for (String line : text.split("\n")) {
            if (!line.isBlank()) {
              onReply(socket, line);
            }
          }
        }
      });
      socket.exceptionHandler(e -> {
        // the close handler follows
      });
      socket.closeHandler(v -> {
        if (ws == socket) {
          Short code = socket.closeStatusCode();
          closeCodes.computeIfAbsent(code == null ? 1006 : (int) code, c -> new LongAdder()).increment();
          lost();
        }
      });
      connectId = nextId++;
      connectAnswered = false;
      send(socket, "{\"id\":" + connectId + ",\"connect\":{\"token\":\"" + token + "\",\"name\":\"fleet\"}}");
      vertx.setTimer(ANSWER_TIMEOUT_MS, t -> {
        if (ws == socket && !connectAnswered) {
          answerTimeouts.increment();
          socket.close();
          lost();
        }
      });
    }

    private void send(WebSocket socket, String frame) {
      socket.writeTextMessage(frame);
    }

    private void lost() {
      if (isSubscribed) {
        subscribed.decrementAndGet();
      }
      isSubscribed = false;
      ws = null;
      retry();
    }

    private void retry() {
      if (!closed) {
        vertx.setTimer(backoff(attempts++), t -> connect());
      }
    }

    private void onReply(WebSocket socket, String line) {
      ObjectNode reply;
      try {
        reply = (ObjectNode) JSON.readTree(line);
      } catch (Exception e) {
        violation("unparsable frame " + line);
        return;
      }
      int id = reply.path("id").asInt(0);
      if (id == 0 && !reply.has("push")) {
        send(socket, "{}"); // a ping: pong
      } else if (id == connectId) {
        if (reply.has("error")) {
          violation("connect failed: " + reply);
          socket.close();
          return;
        }
        connectAnswered = true;
        attempts = 0;
        subscribe(socket);
      } else if (id == subscribeId) {
        subscribed(socket, reply);
      } else if (reply.has("push")) {
        JsonNode push = reply.get("push");
        if (!channel.equals(push.path("channel").asText())) {
          return;
        }
        if (push.has("pub")) {
          accept(push.get("pub"));
        } else if (push.has("unsubscribe") && push.get("unsubscribe").path("code").asInt() == 2500) {
          insufficientState.increment();
          if (isSubscribed) {
            subscribed.decrementAndGet();
          }
          isSubscribed = false;
          subscribe(socket);
        }
      }
    }

    private void subscribe(WebSocket socket) {
      subscribeId = nextId++;
      String recover = positioned
          ? ",\"recover\":true,\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\""
          : "";
      send(socket, "{\"id\":" + subscribeId + ",\"subscribe\":{\"channel\":\"" + channel + "\"" + recover + "}}");
    }

    private void subscribed(WebSocket socket, ObjectNode reply) {
      JsonNode r = reply.get("subscribe");
      if (r == null) {
        JsonNode error = reply.path("error");
        subscribeErrors.computeIfAbsent(error.path("code").asInt(), c -> new LongAdder()).increment();
        if (error.path("temporary").asBoolean()) {
          // As the SDKs do: a temporary error is retried after a backoff, on the same connection.
          vertx.setTimer(backoff(subscribeAttempts++), t -> {
            if (ws == socket) {
              subscribe(socket);
            }
          });
        } else {
          violation("subscribe failed: " + reply);
          socket.close();
        }
        return;
      }
      subscribeAttempts = 0;
      String e = r.path("epoch").asText();
      if (positioned) {
        if (!e.equals(epoch)) {
          violation("epoch " + e + " after " + epoch);
        }
        if (!r.path("recovered").asBoolean()) {
          violation("not recovered from offset " + offset + ": " + r.path("offset") + " " + r.path("epoch"));
        } else {
          recoveries.increment();
          recoveredPublications.add(r.path("publications").size());
        }
        for (JsonNode p : r.path("publications")) {
          accept(p);
        }
      } else {
        epoch = e;
        offset = r.path("offset").asLong();
        positioned = true;
      }
      if (!isSubscribed) {
        subscribed.incrementAndGet();
      }
      isSubscribed = true;
    }

    private void accept(JsonNode pub) {
      long o = pub.path("offset").asLong();
      if (o != offset + 1) {
        violation("offset " + o + " after " + offset);
        return;
      }
      offset = o;
      received++;
      hash = ClientFleet.hash(hash, pub.path("data").path("n").asLong());
    }

    private void violation(String what) {
      violationCount.increment();
      if (violations.size() < 50) {
        violations.add("client " + index + " (" + channel + "): " + what);
      }
    }
  }

  /** The running hash the clients keep: fold the values of a stream into it in offset order. */
  public static long hash(long hash, long value) {
    return hash * 31 + value;
  }
}
