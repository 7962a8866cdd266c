package io.rotor.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.rotor.broker.Broker;
import io.rotor.broker.BrokerEventHandler;
import io.rotor.broker.FanOutMessages;
import io.rotor.config.NatsBrokerOptions;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.history.RedisHistoryStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out through NATS ({@code broker.type: nats}), with the maintained NATS Java client (jnats), as
 * Centrifugo's NATS broker: a node with local subscribers on a channel subscribes to the subject
 * {@code <prefix>.client.<channel>}; each event is published once. NATS only carries messages:
 * offsets are assigned by the Redis engine's append script (so {@code engine.type: redis} is
 * required) before the publication is handed here.
 *
 * <p>NATS keeps the order of one connection's messages, so each node's publications arrive in the
 * order its sequencer appended them; two nodes appending to one channel at once may arrive
 * interleaved out of offset order. Received publications therefore pass a short reorder window per
 * channel: a publication ahead of the next expected offset waits up to {@link #REORDER_MS} for the
 * missing ones, then the node reads what is still missing from the stream in Redis, where every
 * offset was appended before it was published, and delivers the publications in order. That fills
 * the hole a node leaves when it dies between its append and its NATS publish (jnats buffers
 * publishes; a killed node's buffer is gone): otherwise every subscriber on every node would be
 * told of the gap at once and have to recover, some of them, at a high rate, from further back than
 * {@code client.recovery_max_publication_limit}. What the stream no longer holds (trimmed, another
 * epoch) goes on with the gap: the client sees it, is told, and recovers. The window starts from the stream's top read when the node subscribes (after NATS has the
 * subscription), not from the first publication that arrives: with concurrent publishers that one
 * may be offset 2 with offset 1 still on its way. Messages published while the connection is down are lost for this node; after jnats
 * reconnects and subscribes again, the node checks its subscribers' positions at once.
 */
public final class NatsBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(NatsBroker.class);
  /** How long a publication ahead of a gap waits for the publications before it. */
  static final long REORDER_MS = 1_000;
  /** Channel names used in a subject as they are; others are base64url-encoded after a '~'. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_\\-:#$@,=;!+/]+");

  private final Vertx vertx;
  private final NatsBrokerOptions options;
  private final Streams streams;
  private final String subjectPrefix;
  /** Received messages are processed here, one at a time: the reorder state lives on it. */
  private final ContextInternal context;
  private final Map<String, Window> windows = new HashMap<>();
  private BrokerEventHandler handler;
  private volatile Runnable onResubscribed = () -> { };
  private volatile Connection connection;
  private volatile Dispatcher dispatcher;

  /** What the broker reads from the channels' streams (offsets and history live in Redis). */
  public interface Streams {
    /** A channel's stream position now (null: no stream yet), without creating anything. */
    Future<StreamPosition> top(String channel);

    /** Up to {@code limit} publications after {@code since}, in offset order, with the stream's top. */
    Future<HistoryResult> after(String channel, StreamPosition since, int limit);

    static Streams of(RedisHistoryStore history) {
      return new Streams() {
        @Override
        public Future<StreamPosition> top(String channel) {
          return history.top(channel);
        }

        @Override
        public Future<HistoryResult> after(String channel, StreamPosition since, int limit) {
          return history.read(channel, new HistoryFilter(since, limit, false), null);
        }
      };
    }
  }

  public NatsBroker(Vertx vertx, NatsBrokerOptions options, Streams streams) {
    this.vertx = vertx;
    this.options = options;
    this.streams = streams;
    this.subjectPrefix = options.getPrefix() + ".client.";
    this.context = ((VertxInternal) vertx).createEventLoopContext();
  }

  /** Connects (on a worker thread: jnats connects blocking); fails naming the URL. */
  public Future<Void> connect() {
    Options o = new Options.Builder()
        .servers(options.getUrl().split(","))
        .connectionTimeout(options.getDialTimeout())
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .connectionName("rotor")
        .connectionListener(this::connectionEvent)
        .build();
    return vertx.executeBlocking(() -> {
      Connection c = Nats.connect(o);
      connection = c;
      dispatcher = c.createDispatcher(m -> {
        Buffer body = Buffer.buffer(m.getData());
        String subject = m.getSubject();
        context.runOnContext(v -> onMessage(subject, body));
      });
      return null;
    }, false).recover(e -> Future.failedFuture("NATS at " + options.getUrl() + " is not reachable: " + e.getMessage()))
        .mapEmpty();
  }

  private void connectionEvent(Connection c, ConnectionListener.Events event) {
    switch (event) {
      case DISCONNECTED -> LOG.warn("NATS connection lost; reconnecting");
      case RESUBSCRIBED -> {
        LOG.info("NATS connection back and subscribed again");
        onResubscribed.run();
      }
      default -> {
      }
    }
  }

  /** Runs after the connection was replaced: messages may have been lost meanwhile. */
  public void onResubscribed(Runnable r) {
    this.onResubscribed = r;
  }

  @Override
  public void setEventHandler(BrokerEventHandler handler) {
    this.handler = handler;
  }

  @Override
  public Future<Void> publish(String channel, Publication publication) {
    return send(channel, FanOutMessages.publication(publication));
  }

  @Override
  public Future<Void> publishJoin(String channel, ClientInfo info) {
    return send(channel, FanOutMessages.join(info));
  }

  @Override
  public Future<Void> publishLeave(String channel, ClientInfo info) {
    return send(channel, FanOutMessages.leave(info));
  }

  private Future<Void> send(String channel, Buffer msg) {
    try {
      // Buffered by jnats and written by its own thread; fails only when the connection is closed.
      connection.publish(subject(channel), msg.getBytes());
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Completes once the server has the subscription (a flush round trip), so nothing after it is
   * missed, and the channel's reorder window knows the stream's top from after that point.
   */
  @Override
  public Future<Void> subscribe(String channel) {
    Promise<Window> window = Promise.promise();
    // Queued before the subscription exists, so the window waits before any message is handled.
    context.runOnContext(v -> window.complete(windows.computeIfAbsent(channel, Window::new).priming()));
    Dispatcher d = dispatcher;
    d.subscribe(subject(channel));
    Promise<Void> done = Promise.promise();
    vertx.executeBlocking(() -> {
      connection.flush(options.getWriteTimeout());
      return null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("NATS subscribe to {} not confirmed: {}", channel, ar.cause().getMessage());
      }
      // The subscription stays either way; jnats sends it again on reconnect.
      streams.top(channel).onComplete(top -> window.future().onSuccess(w -> context.runOnContext(x -> {
        if (top.failed()) {
          LOG.warn("stream top of {} not read ({}): its window starts at the first publication", channel,
              top.cause().getMessage());
        }
        w.primed(top.succeeded() ? top.result() : null, top.succeeded());
        done.complete();
      })));
    });
    return done.future();
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    dispatcher.unsubscribe(subject(channel));
    context.runOnContext(v -> {
      Window w = windows.remove(channel);
      if (w != null) {
        w.flush();
      }
    });
    return Future.succeededFuture();
  }

  String subject(String channel) {
    if (PLAIN.matcher(channel).matches()) {
      return subjectPrefix + channel;
    }
    return subjectPrefix + "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(channel.getBytes(StandardCharsets.UTF_8));
  }

  private String channel(String subject) {
    String name = subject.substring(subjectPrefix.length());
    if (name.startsWith("~")) {
      return new String(Base64.getUrlDecoder().decode(name.substring(1)), StandardCharsets.UTF_8);
    }
    return name;
  }

  private void onMessage(String subject, Buffer msg) {
    if (!subject.startsWith(subjectPrefix) || msg.length() == 0) {
      return;
    }
    String channel = channel(subject);
    try {
      if (msg.getByte(0) == 'p') {
        Publication p = FanOutMessages.decodePublication(msg);
        if (p.offset() > 0) {
          windows.computeIfAbsent(channel, Window::new).accept(p);
          return;
        }
      }
      FanOutMessages.dispatch(channel, msg, handler);
    } catch (RuntimeException e) {
      LOG.warn("undecodable message on {}: {}", subject, e.toString());
    }
  }

  /** The reorder window of one channel (on the broker's context). */
  private final class Window {
    private final String channel;
    private final TreeMap<Long, Publication> held = new TreeMap<>();
    private String epoch;
    private long next = -1;
    private long timer = -1;
    /** Publications that came while the stream's top was being read; null once it is known. */
    private List<Publication> waiting;

    Window(String channel) {
      this.channel = channel;
    }

    Window priming() {
      if (waiting == null) {
        waiting = new ArrayList<>();
      }
      return this;
    }

    /** The stream's top when the node subscribed ({@code known}: null means no stream yet). */
    void primed(StreamPosition top, boolean known) {
      List<Publication> arrived = waiting;
      waiting = null;
      if (arrived == null || windows.get(channel) != this) {
        return; // unsubscribed meanwhile
      }
      if (known && held.isEmpty()) {
        epoch = top == null ? null : top.epoch();
        next = top == null ? 1 : top.offset() + 1;
      }
      arrived.forEach(this::accept);
    }

    void accept(Publication p) {
      if (waiting != null) {
        waiting.add(p);
        return;
      }
      if (epoch == null && next > 0) {
        epoch = p.epoch(); // the stream did not exist when the node subscribed
      }
      if (next < 0 || !p.epoch().equals(epoch)) {
        flush();
        epoch = p.epoch();
        deliver(p);
        return;
      }
      if (p.offset() < next) {
        handler.onPublication(channel, p); // late duplicate: the subscribers skip it
        return;
      }
      if (p.offset() > next) {
        held.put(p.offset(), p);
        if (timer < 0) {
          timer = vertx.setTimer(REORDER_MS, t -> context.runOnContext(v -> {
            timer = -1;
            fill();
          }));
        }
        return;
      }
      deliver(p);
      while (!held.isEmpty() && held.firstKey() == next) {
        deliver(held.pollFirstEntry().getValue());
      }
      if (held.isEmpty() && timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    /**
     * The wait is over: reads the missing offsets up to the last one held from the stream, then
     * hands everything on in order (a gap only where the stream has nothing either). Publications
     * that arrive meanwhile are held or delivered as usual.
     */
    private void fill() {
      if (held.isEmpty() || waiting != null || next < 0) {
        flush();
        return;
      }
      String e = epoch;
      long from = next;
      int count = (int) Math.min(Integer.MAX_VALUE, held.lastKey() - from + 1);
      streams.after(channel, new StreamPosition(from - 1, e), count).onComplete(ar -> context.runOnContext(v -> {
        if (windows.get(channel) != this) {
          return; // unsubscribed meanwhile: flushed then
        }
        if (ar.succeeded() && e.equals(epoch) && e.equals(ar.result().top().epoch())) {
          int filled = 0;
          for (Publication p : ar.result().publications()) {
            if (p.offset() >= next && held.putIfAbsent(p.offset(), p) == null) {
              filled++;
            }
          }
          long missing = held.isEmpty() ? 0 : held.lastKey() - next + 1 - held.size();
          LOG.info("{}: {} publications NATS did not bring read from the stream after {} ms ({} still missing)",
              channel, filled, REORDER_MS, missing);
        } else if (ar.failed()) {
          LOG.warn("missing publications of {} not read ({}): delivered with the gap", channel, ar.cause().getMessage());
        }
        flush();
        if (timer >= 0) {
          vertx.cancelTimer(timer);
          timer = -1;
        }
      }));
    }

    private void deliver(Publication p) {
      handler.onPublication(channel, p);
      next = p.offset() + 1;
    }

    /** Hands on what is held (or waits for the stream's top), in offset order, gap or not. */
    void flush() {
      List<Publication> arrived = waiting;
      waiting = null;
      if (arrived != null) {
        arrived.forEach(this::accept);
      }
      while (!held.isEmpty()) {
        deliver(held.pollFirstEntry().getValue());
      }
    }
  }

  public void close() {
    Connection c = connection;
    if (c != null) {
      vertx.executeBlocking(() -> {
        c.close();
        return null;
      }, false);
    }
  }
}
