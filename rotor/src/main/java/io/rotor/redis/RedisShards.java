package io.rotor.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis servers of the engine. A channel always maps to the same shard (jump consistent hash
 * of its name), so its stream, meta and presence keys live together. Each shard has a pooled client
 * for reads and presence, and one ordered connection for the history sequencer: commands sent on
 * one connection execute and answer in order, which is what keeps fan-out in offset order.
 * Every command fails after {@code command_timeout} without a reply.
 */
public final class RedisShards {

  private static final int STARTUP_PING_ATTEMPTS = 3;
  private final List<Shard> shards = new ArrayList<>();
  private final List<RedisEndpoints> endpoints;
  private final Vertx vertx;
  private final long timeoutMs;
  private final String prefix;
  /** Redis Cluster: keys carry the channel as a hash tag, so a channel's keys share one slot. */
  private final boolean hashTags;

  public RedisShards(Vertx vertx, io.rotor.config.RedisOptions options) {
    this.prefix = options.getPrefix();
    this.endpoints = RedisEndpoints.of(options);
    this.hashTags = options.isCluster();
    this.vertx = vertx;
    this.timeoutMs = options.getCommandTimeout().toMillis();
    for (RedisEndpoints e : endpoints) {
      shards.add(new Shard(vertx, timeoutMs, Redis.createClient(vertx, e.commands())));
    }
  }

  /**
   * A PUB/SUB connection of its own to shard {@code index}, handing every message to {@code handler}
   * (channel, payload) on a context of its own.
   */
  public RedisPubSub pubSub(int index, java.util.function.BiConsumer<String, Buffer> handler) {
    RedisEndpoints e = endpoints.get(index);
    List<Redis> clients = new ArrayList<>();
    for (RedisOptions o : e.pubSub()) {
      clients.add(Redis.createClient(vertx, new RedisOptions(o).setMaxPoolSize(1)));
    }
    return new RedisPubSub(vertx, clients, e.description(), timeoutMs, handler);
  }

  /** True when each shard is a Redis Cluster. */
  public boolean isCluster() {
    return hashTags;
  }

  /** The index of the shard that holds {@code channel}. */
  public int shardIndex(String channel) {
    return JumpHash.bucket(JumpHash.hash(channel), shards.size());
  }

  public String key(String kind, String channel) {
    return prefix + "." + kind + "." + (hashTags ? "{" + channel + "}" : channel);
  }

  /** The PUB/SUB channel the Redis broker fans a channel's messages out on. */
  public String pubSubChannel(String channel) {
    return prefix + ".client." + channel;
  }

  /** Every key and PUB/SUB channel starts with this. */
  public String prefix() {
    return prefix;
  }

  public Shard shard(String channel) {
    return shards.get(shardIndex(channel));
  }

  public List<Shard> all() {
    return shards;
  }

  public void close() {
    shards.forEach(Shard::close);
  }

  /** Fails, naming the address, when a shard cannot be reached: a node should not start without its engine. */
  public Future<Void> ping() {
    List<Future<Response>> pings = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      String address = endpoints.get(i).description();
      Shard shard = shards.get(i);
      pings.add(pingOnce(shard, STARTUP_PING_ATTEMPTS)
          .recover(e -> Future.failedFuture("Redis at " + address + " is not reachable: " + e.getMessage())));
    }
    return Future.all(pings).mapEmpty();
  }

  /**
   * A PING that timed out is tried again: a node starting on a busy machine (class loading, JIT,
   * several JVMs starting at once) can miss one timeout with Redis up. A refused connection fails
   * at once.
   */
  private static Future<Response> pingOnce(Shard shard, int attempts) {
    return shard.send(Request.cmd(io.vertx.redis.client.Command.PING)).recover(e ->
        e instanceof RedisTimeoutException && attempts > 1 ? pingOnce(shard, attempts - 1) : Future.failedFuture(e));
  }

  static void arg(Request r, Object a) {
    if (a instanceof Buffer b) {
      r.arg(b);
    } else if (a instanceof byte[] bytes) {
      r.arg(Buffer.buffer(bytes));
    } else if (a instanceof Long l) {
      r.arg(l);
    } else if (a instanceof Integer i) {
      r.arg(i.longValue());
    } else {
      r.arg(String.valueOf(a).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** One Redis server. */
  public static final class Shard {
    private final long timeoutMs;
    private final Redis client;
    private final Vertx vertx;
    private Ordered ordered;

    Shard(Vertx vertx, long timeoutMs, Redis client) {
      this.vertx = vertx;
      this.timeoutMs = timeoutMs;
      this.client = client;
    }

    /**
     * The ordered connection and when each call still waiting on it was sent. Replies come in
     * order, so the oldest waiting call is the first: one periodic sweep finds a late reply
     * without a timer per call (which cost a third more CPU per publish).
     */
    private final class Ordered {
      /**
       * Timed once per connection, not per call: every call waiting on it shares this future, and a
       * connection that opens after the timeout must go back to the pool once, not once per call
       * ("Attempt to recycle more than permitted" under a reconnect storm).
       */
      final Future<RedisConnection> connecting = connected(client.connect());
      final ArrayDeque<Long> sentAt = new ArrayDeque<>();
      final long sweep = vertx.setPeriodic(Math.max(10, timeoutMs / 4), t -> sweep());
      boolean timedOut;

      void sweep() {
        if (timedOut) {
          return; // already dropped and its connection closed
        }
        Long oldest = sentAt.peekFirst();
        if (oldest != null && System.nanoTime() - oldest > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
          // Closing fails every call waiting on the connection; they report the timeout.
          timedOut = true;
          dropOrdered(this);
          connecting.onSuccess(Shard::closeSocket);
        }
      }
    }

    /**
     * Through the pool: no order between calls. A connection whose reply times out is closed, not
     * handed back: its next reply would be taken for the lost one's.
     */
    public Future<Response> send(Request r) {
      return connected(client.connect()).compose(c -> timed(c.send(r), c).andThen(ar -> {
        if (!(ar.cause() instanceof RedisTimeoutException)) {
          c.close();
        }
      }));
    }

    public Future<List<Response>> batch(List<Request> requests) {
      return connected(client.connect()).compose(c -> timed(c.batch(requests), c).andThen(ar -> {
        if (!(ar.cause() instanceof RedisTimeoutException)) {
          c.close();
        }
      }));
    }

    /**
     * Through the shard's single ordered connection; call from one context only (the sequencer).
     * A broken connection is replaced on the next call; calls in flight on it fail. A call without
     * a reply within the timeout closes the connection: the replies still owed on it could only
     * arrive out of step with the calls that follow, so those go to a fresh connection.
     */
    public Future<Response> sendOrdered(Request r) {
      if (ordered == null) {
        Ordered created = new Ordered();
        ordered = created;
        created.connecting.onSuccess(c -> {
          c.exceptionHandler(e -> dropOrdered(created));
          c.endHandler(v -> dropOrdered(created));
        }).onFailure(e -> dropOrdered(created));
      }
      Ordered link = ordered;
      link.sentAt.addLast(System.nanoTime());
      return link.connecting.compose(c -> c.send(r)).transform(ar -> {
        link.sentAt.pollFirst();
        if (ar.failed() && (link.timedOut || ar.cause() instanceof RedisTimeoutException)) {
          dropOrdered(link);
          return Future.failedFuture(timedOut());
        }
        return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
      });
    }

    /**
     * {@code connecting}, failed after the command timeout (the handshake is a command too); a late
     * connection is released. Call once per {@code connecting}: each call releases it again.
     */
    private Future<RedisConnection> connected(Future<RedisConnection> connecting) {
      return connecting.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(e -> {
        if (!(e instanceof TimeoutException)) {
          return Future.failedFuture(e);
        }
        connecting.onSuccess(RedisConnection::close);
        return Future.failedFuture(timedOut());
      });
    }

    /** Fails {@code call} after the command timeout and then closes {@code connection}, which owes its reply. */
    private <T> Future<T> timed(Future<T> call, RedisConnection connection) {
      return call.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(e -> {
        if (!(e instanceof TimeoutException)) {
          return Future.failedFuture(e);
        }
        closeSocket(connection);
        return Future.failedFuture(timedOut());
      });
    }

    private RedisTimeoutException timedOut() {
      return new RedisTimeoutException("Redis command timed out: no reply within " + timeoutMs + " ms");
    }

    /** {@code close()} of a pooled connection would hand it back to the pool, owed replies and all. */
    private static void closeSocket(RedisConnection c) {
      // Internal: the public connection has no way to drop its socket; close() would return a
      // connection that still owes replies to the pool, and the next caller would read them.
      if (c instanceof PooledRedisConnection pooled) {
        pooled.actual().forceClose();
      } else {
        c.close();
      }
    }

    private void dropOrdered(Ordered which) {
      if (ordered == which) {
        ordered = null;
        vertx.cancelTimer(which.sweep);
      }
    }

    void close() {
      if (ordered != null) {
        vertx.cancelTimer(ordered.sweep);
      }
      client.close();
    }
  }

  /** A command that got no reply within {@code engine.redis.command_timeout}. */
  public static final class RedisTimeoutException extends RuntimeException {
    RedisTimeoutException(String message) {
      super(message, null, false, false);
    }
  }
}
