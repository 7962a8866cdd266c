package io.rotor.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dedicated PUB/SUB connection to one Redis shard (a subscribed connection can run nothing
 * else). Everything runs on the connection's own context: subscribe and unsubscribe calls, the
 * message handler, reconnects. A message is handed to the handler in the order Redis sent it, which
 * for a channel is the order its publications were appended.
 *
 * <p>When the connection breaks (Redis restarted, a Sentinel failover moved the master) every
 * message published meanwhile is lost for this node: it reconnects with a growing backoff,
 * subscribes again to every channel it had, then runs {@code onResubscribed} so the node can check
 * its subscribers' positions at once rather than leave them silently behind.
 */
public final class RedisPubSub {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPubSub.class);
  private static final long MAX_BACKOFF_MS = 2_000;
  /** Channels per SUBSCRIBE command when subscribing again after a reconnect. */
  private static final int BATCH = 512;

  private final Vertx vertx;
  /** Tried in turn: after a failure the next one is used. */
  private final List<Redis> clients;
  private int current;
  private final String description;
  private final long timeoutMs;
  private final ContextInternal context;
  private final BiConsumer<String, Buffer> handler;
  /** Channels this node wants, with the future of their subscription on the current connection. */
  private final Map<String, Future<Void>> wanted = new HashMap<>();
  private Runnable onResubscribed = () -> { };
  private RedisConnection connection;
  private Future<RedisConnection> connecting;
  private long backoffMs = 50;
  private boolean closed;

  public RedisPubSub(Vertx vertx, List<Redis> clients, String description, long timeoutMs, BiConsumer<String, Buffer> handler) {
    this.vertx = vertx;
    this.clients = clients;
    this.description = description;
    this.timeoutMs = timeoutMs;
    this.handler = handler;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
  }

  /** Runs after a broken connection was replaced and every channel subscribed again. */
  public void onResubscribed(Runnable r) {
    this.onResubscribed = r;
  }

  /**
   * Subscribes; completes once Redis confirmed it, so anything published after that reaches this
   * node. Fails when Redis cannot be reached in time (the subscription is still made on reconnect).
   */
  public Future<Void> subscribe(String channel) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> existing = wanted.get(channel);
      if (existing != null) {
        existing.onComplete(done);
        return;
      }
      Future<Void> f = connection().compose(c -> send(c, Command.SUBSCRIBE, List.of(channel)));
      wanted.put(channel, f);
      f.onComplete(done);
    });
    return done.future();
  }

  public void unsubscribe(String channel) {
    context.runOnContext(v -> {
      if (wanted.remove(channel) != null && connection != null) {
        send(connection, Command.UNSUBSCRIBE, List.of(channel));
      }
    });
  }

  private Future<Void> send(RedisConnection c, Command cmd, List<String> channels) {
    Request r = Request.cmd(cmd);
    channels.forEach(r::arg);
    return c.send(r).timeout(timeoutMs, TimeUnit.MILLISECONDS).mapEmpty();
  }

  /** The live connection, or the one being opened. */
  private Future<RedisConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    if (connecting == null) {
      Promise<RedisConnection> p = context.promise();
      connecting = p.future();
      clients.get(current).connect().onComplete(ar -> context.runOnContext(v -> {
        if (ar.failed() || closed) {
          connecting = null;
          current = (current + 1) % clients.size();
          if (ar.succeeded()) {
            ar.result().close();
          }
          p.fail(ar.failed() ? ar.cause() : new IllegalStateException("closed"));
          scheduleReconnect();
          return;
        }
        RedisConnection c = ar.result();
        c.handler(this::onMessage);
        c.exceptionHandler(e -> context.runOnContext(x -> lost(c, e.getMessage())));
        c.endHandler(e -> context.runOnContext(x -> lost(c, "connection closed")));
        connection = c;
        connecting = null;
        backoffMs = 50;
        p.complete(c);
      }));
    }
    return connecting;
  }

  private void onMessage(Response r) {
    // RESP2 delivers ["message", channel, payload]; RESP3 the same as a push.
    if (r == null || r.size() < 3) {
      return;
    }
    String kind = r.get(0).toString();
    if ("message".equals(kind) || "smessage".equals(kind)) {
      handler.accept(r.get(1).toString(), r.get(2).toBuffer());
    }
  }

  private void lost(RedisConnection c, String why) {
    if (connection != c) {
      return;
    }
    connection = null;
    current = (current + 1) % clients.size();
    LOG.warn("Redis PUB/SUB connection to {} lost ({}); subscribing again", description, why);
    c.close();
    if (!closed) {
      resubscribe();
    }
  }

  private void scheduleReconnect() {
    if (closed || wanted.isEmpty()) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, t -> context.runOnContext(v -> {
      if (connection == null && connecting == null) {
        resubscribe();
      }
    }));
  }

  /** A fresh connection carrying every wanted channel; then the node checks positions. */
  private void resubscribe() {
    if (wanted.isEmpty()) {
      return;
    }
    connection().onSuccess(c -> {
      List<String> all = new ArrayList<>(wanted.keySet());
      List<Future<Void>> batches = new ArrayList<>();
      for (int i = 0; i < all.size(); i += BATCH) {
        List<String> batch = all.subList(i, Math.min(all.size(), i + BATCH));
        Future<Void> f = send(c, Command.SUBSCRIBE, batch);
        batches.add(f);
        batch.forEach(ch -> wanted.replace(ch, f));
      }
      Future.all(batches).onComplete(ar -> {
        if (ar.failed()) {
          lost(c, "resubscribe failed: " + ar.cause().getMessage());
          return;
        }
        LOG.info("Redis PUB/SUB to {} subscribed again to {} channels", description, all.size());
        onResubscribed.run();
      });
    });
  }

  /** Channels subscribed now (for tests and the admin view). */
  public Future<Set<String>> channels() {
    Promise<Set<String>> p = Promise.promise();
    context.runOnContext(v -> p.complete(new HashSet<>(wanted.keySet())));
    return p.future();
  }

  public void close() {
    context.runOnContext(v -> {
      closed = true;
      wanted.clear();
      if (connection != null) {
        connection.close();
        connection = null;
      }
      clients.forEach(Redis::close);
    });
  }
}
