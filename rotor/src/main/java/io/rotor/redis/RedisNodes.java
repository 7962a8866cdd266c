package io.rotor.redis;

import io.rotor.broker.PublicationCodec;
import io.rotor.cluster.ClientErrors;
import io.rotor.cluster.NodeMesh;
import io.rotor.core.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a Redis-broker deployment and the messages between them, carried by Redis PUB/SUB on
 * the first shard (as Centrifugo's control channel): no cluster manager is needed.
 *
 * <ul>
 *   <li>Discovery: every node publishes a heartbeat on {@code <prefix>.control} every second and
 *       says bye when it stops; a node not heard from for {@link #EXPIRE_MS} is gone (it crashed).
 *       A node that hears an unknown node answers with its own heartbeat at once, so a new node
 *       knows the others within one round trip.</li>
 *   <li>Requests: to {@code <prefix>.node.<id>}, answered on the asker's own channel, matched by
 *       a number; a request nobody receives (PUBLISH reached no subscriber) fails at once, one
 *       without an answer after {@code engine.redis.command_timeout}.</li>
 * </ul>
 */
public final class RedisNodes implements NodeMesh {

  private static final Logger LOG = LoggerFactory.getLogger(RedisNodes.class);
  static final long HEARTBEAT_MS = 1_000;
  static final long EXPIRE_MS = 5_000;

  private final Vertx vertx;
  private final RedisShards redis;
  private final String self = UUID.randomUUID().toString();
  private final long timeoutMs;
  private final ContextInternal context;
  private final RedisPubSub pubSub;
  private final String control;
  private final String nodePrefix;
  private final Map<String, Handler<NodeMessage>> ops = new HashMap<>();
  /** Other nodes to when they were last heard from (nanoTime). */
  private final Map<String, Long> others = new ConcurrentHashMap<>();
  private final Map<Long, Promise<Buffer>> pending = new HashMap<>();
  private final Map<String, java.util.concurrent.atomic.LongAdder> sent = new ConcurrentHashMap<>();
  private long nextId;
  private long timer = -1;

  public RedisNodes(Vertx vertx, RedisShards redis, long timeoutMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.control = redis.prefix() + ".control";
    this.nodePrefix = redis.prefix() + ".node.";
    this.pubSub = redis.pubSub(0, (channel, msg) -> context.runOnContext(v -> onMessage(channel, msg)));
  }

  @Override
  public String selfId() {
    return self;
  }

  @Override
  public List<String> memberIds() {
    List<String> all = new ArrayList<>(others.keySet());
    all.add(self);
    return all;
  }

  @Override
  public List<String> otherIds() {
    return List.copyOf(others.keySet());
  }

  @Override
  public void on(String op, Handler<NodeMessage> handler) {
    ops.put(op, handler);
  }

  /** Subscribes to the control channel and this node's own, then announces the node. */
  public Future<Void> start() {
    return Future.all(pubSub.subscribe(control), pubSub.subscribe(nodePrefix + self)).compose(v -> {
      timer = vertx.setPeriodic(HEARTBEAT_MS, t -> context.runOnContext(x -> {
        heartbeat();
        expire();
      }));
      return publish(control, Buffer.buffer("h").appendString(self)).mapEmpty();
    });
  }

  private void heartbeat() {
    publish(control, Buffer.buffer("h").appendString(self))
        .onFailure(e -> LOG.debug("heartbeat not sent: {}", e.getMessage()));
  }

  private void expire() {
    long now = System.nanoTime();
    others.entrySet().removeIf(e -> {
      boolean gone = now - e.getValue() > EXPIRE_MS * 1_000_000;
      if (gone) {
        LOG.info("node {} not heard from for {} ms: gone; members: {}", e.getKey(), EXPIRE_MS, others.size());
      }
      return gone;
    });
  }

  private void onMessage(String channel, Buffer msg) {
    if (msg.length() == 0) {
      return;
    }
    if (channel.equals(control)) {
      String id = msg.getString(1, msg.length());
      if (id.equals(self)) {
        return;
      }
      if (msg.getByte(0) == 'b') {
        if (others.remove(id) != null) {
          LOG.info("node {} left; members: {}", id, others.size() + 1);
        }
      } else if (others.put(id, System.nanoTime()) == null) {
        LOG.info("node {} joined; members: {}", id, others.size() + 1);
        heartbeat(); // so the new node learns about this one now, not at the next beat
      }
      return;
    }
    PublicationCodec.Reader r = new PublicationCodec.Reader(msg, 1);
    byte kind = msg.getByte(0);
    String from = r.readString();
    long id = r.readLong();
    switch (kind) {
      case 'q', 'o' -> dispatch(kind == 'q', from, id, r.readString(), r.rest());
      case 'r' -> complete(id, r.rest(), 0, null);
      case 'f' -> {
        int code = r.readInt();
        complete(id, null, code, r.readString());
      }
      default -> LOG.warn("unknown node message kind {}", (char) kind);
    }
  }

  private void dispatch(boolean wantsReply, String from, long id, String op, Buffer body) {
    Handler<NodeMessage> handler = ops.get(op);
    NodeMessage m = new NodeMessage() {
      @Override
      public Buffer body() {
        return body;
      }

      @Override
      public void reply(Buffer reply) {
        if (wantsReply) {
          publish(nodePrefix + from, header('r', id).appendBuffer(reply));
        }
      }

      @Override
      public void fail(int code, String message) {
        if (wantsReply) {
          Buffer b = header('f', id).appendInt(code);
          PublicationCodec.writeString(b, message == null ? "" : message);
          publish(nodePrefix + from, b);
        }
      }
    };
    if (handler == null) {
      m.fail(ClientError.METHOD_NOT_FOUND.code(), "unknown op " + op);
      return;
    }
    try {
      handler.handle(m);
    } catch (RuntimeException e) {
      LOG.warn("op {} failed", op, e);
      m.fail(ClientError.INTERNAL.code(), String.valueOf(e.getMessage()));
    }
  }

  private void complete(long id, Buffer body, int code, String message) {
    Promise<Buffer> p = pending.remove(id);
    if (p == null) {
      return; // timed out already
    }
    if (body != null) {
      p.complete(body);
    } else {
      ClientError known = ClientErrors.byCode(code);
      p.fail((known != null ? known : ClientError.INTERNAL).asException());
    }
  }

  @Override
  public Future<Buffer> request(String node, String op, Buffer body) {
    // Completed on the caller's context, as the event bus does: the caller may go on writing an
    // HTTP response of its own (the SockJS forwarder does), which only its context thread may do.
    Promise<Buffer> reply = ((VertxInternal) vertx).getOrCreateContext().promise();
    context.runOnContext(v -> {
      long id = ++nextId;
      pending.put(id, reply);
      long t = vertx.setTimer(timeoutMs, x -> context.runOnContext(y -> {
        Promise<Buffer> p = pending.remove(id);
        if (p != null) {
          p.fail(ClientError.INTERNAL.asException());
        }
      }));
      reply.future().onComplete(x -> vertx.cancelTimer(t));
      publish(nodePrefix + node, message('q', id, op, body)).onComplete(ar -> context.runOnContext(y -> {
        // Nobody listens there: the node is gone. (In a Redis Cluster PUBLISH counts only the
        // receivers on the server that ran it, so there 0 says nothing and the timeout decides.)
        if (ar.failed() || ar.result() == 0 && !redis.isCluster()) {
          Promise<Buffer> p = pending.remove(id);
          if (p != null) {
            p.fail(ClientError.INTERNAL.asException());
          }
        }
      }));
    });
    return reply.future();
  }

  @Override
  public void send(String node, String op, Buffer body) {
    publish(nodePrefix + node, message('o', 0, op, body));
  }

  private Buffer header(char kind, long id) {
    Buffer b = Buffer.buffer(64).appendByte((byte) kind);
    PublicationCodec.writeString(b, self);
    return b.appendLong(id);
  }

  @Override
  public Map<String, Long> sentCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    sent.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }

  private Buffer message(char kind, long id, String op, Buffer body) {
    sent.computeIfAbsent(op, o -> new java.util.concurrent.atomic.LongAdder()).increment();
    Buffer b = header(kind, id);
    PublicationCodec.writeString(b, op);
    return b.appendBuffer(body);
  }

  /** PUBLISH on the first shard; the number of nodes that received it. */
  private Future<Long> publish(String channel, Buffer msg) {
    return redis.all().get(0).send(Request.cmd(Command.PUBLISH).arg(channel).arg(msg)).map(r -> r.toLong());
  }

  /** Says bye, so the others drop this node at once, and stops listening. */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return publish(control, Buffer.buffer("b").appendString(self)).otherwiseEmpty()
        .andThen(x -> pubSub.close()).mapEmpty();
  }
}
