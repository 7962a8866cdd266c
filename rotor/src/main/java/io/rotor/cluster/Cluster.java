package io.rotor.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.rotor.config.ClusterOptions;
import io.rotor.core.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in the cluster: one event-bus address per node ({@code rotor.node.<id>}),
 * registered once, that carries every kind of message between nodes, told apart by an {@code op}
 * header. Publications are filtered by the receiving node's Hubs, so subscribe churn never writes
 * to Hazelcast. Members are the nodes that are ready: a node says hello to every Hazelcast member
 * once its address is registered, and is dropped when Hazelcast drops it or it says bye.
 *
 * <p>The cluster has its own event-loop context: the consumer runs there, and so do membership
 * changes and interest registrations, which keeps them in one order.
 */
public final class Cluster implements NodeMesh {

  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
  static final String ADDRESS_PREFIX = "rotor.node.";
  private static final String OP = "op";
  private static final long REHELLO_MS = 5_000;
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final ContextInternal context;
  private final Members members;
  private final DeliveryOptions requestOptions;
  private final Map<String, Handler<NodeMessage>> ops = new HashMap<>();
  private final List<Runnable> membershipListeners = new CopyOnWriteArrayList<>();
  /** Messages this node sent to other nodes, by op (requests and one-way sends; replies not counted). */
  private final Map<String, java.util.concurrent.atomic.LongAdder> sent = new java.util.concurrent.ConcurrentHashMap<>();
  private MessageConsumer<Buffer> consumer;
  private UUID hzListener;
  private long rehelloTimer = -1;

  public Cluster(Vertx vertx, ClusterOptions options) {
    // Internal: the public API exposes neither the cluster manager (for Hazelcast's member events)
    // nor a way to create an event-loop context of the cluster's own from any thread.
    if (!(((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hcm)) {
      throw new IllegalStateException("cluster.enabled needs a Vert.x clustered with Hazelcast");
    }
    this.vertx = vertx;
    this.manager = hcm;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.members = new Members(hcm.getNodeId());
    this.requestOptions = new DeliveryOptions().setSendTimeout(options.getRequestTimeout().toMillis());
    on("hello", m -> {
      hello(m.body().toString());
      m.reply(Buffer.buffer("ok"));
    });
    on("bye", m -> left(m.body().toString()));
  }

  @Override
  public String selfId() {
    return members.self();
  }

  Members members() {
    return members;
  }

  ContextInternal context() {
    return context;
  }

  /** True when this node owns {@code channel} among the members it knows now. */
  public boolean owns(String channel) {
    return members.owns(channel);
  }

  @Override
  public List<String> memberIds() {
    return members.all();
  }

  @Override
  public List<String> otherIds() {
    return members.others();
  }

  /** Handles an op; register every op before {@link #start}. */
  @Override
  public void on(String op, Handler<NodeMessage> handler) {
    ops.put(op, handler);
  }

  /** Runs (on the cluster context) after members were added or removed. */
  void onMembershipChange(Runnable listener) {
    membershipListeners.add(listener);
  }

  /** Registers this node's address, then greets the others. */
  public Future<Void> start() {
    Promise<Void> started = context.promise();
    context.runOnContext(v -> {
      consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + selfId(), this::dispatch);
      consumer.completion().onComplete(r -> {
        if (r.failed()) {
          started.fail(r.cause());
          return;
        }
        HazelcastInstance hz = manager.getHazelcastInstance();
        hzListener = hz.getCluster().addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {
            // It says hello once it is ready.
          }

          @Override
          public void memberRemoved(MembershipEvent event) {
            // Vert.x names nodes by a member attribute, not by the Hazelcast member UUID.
            String id = event.getMember().getAttribute(VERTX_NODE_ID);
            if (id != null) {
              context.runOnContext(x -> left(id));
            }
          }
        });
        rehelloTimer = vertx.setPeriodic(REHELLO_MS, t -> context.runOnContext(x -> greet()));
        greet().onComplete(x -> started.complete());
      });
    });
    return started.future();
  }

  /** Says hello to every Hazelcast member not known as ready yet. */
  private Future<Void> greet() {
    List<Future<Buffer>> replies = new java.util.ArrayList<>();
    for (String id : manager.getNodes()) {
      if (id.equals(selfId()) || members.all().contains(id)) {
        continue;
      }
      replies.add(request(id, "hello", Buffer.buffer(selfId())).onSuccess(b -> hello(id)));
    }
    return Future.join(replies).mapEmpty();
  }

  private void hello(String id) {
    if (members.add(id)) {
      LOG.info("node {} joined; members: {}", id, members.all().size());
      fireMembershipChange();
    }
  }

  private void left(String id) {
    if (members.remove(id)) {
      LOG.info("node {} left; members: {}", id, members.all().size());
      fireMembershipChange();
    }
  }

  private void fireMembershipChange() {
    for (Runnable r : membershipListeners) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("membership listener failed", e);
      }
    }
  }

  private void dispatch(Message<Buffer> message) {
    Handler<NodeMessage> handler = ops.get(message.headers().get(OP));
    if (handler == null) {
      message.fail(ClientError.METHOD_NOT_FOUND.code(), "unknown op " + message.headers().get(OP));
      return;
    }
    try {
      handler.handle(new NodeMessage() {
        @Override
        public Buffer body() {
          return message.body();
        }

        @Override
        public void reply(Buffer body) {
          message.reply(body);
        }

        @Override
        public void fail(int code, String text) {
          message.fail(code, text);
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("op {} failed", message.headers().get(OP), e);
      message.fail(ClientError.INTERNAL.code(), String.valueOf(e.getMessage()));
    }
  }

  /** A request to one node; fails with the {@link ClientError} the other node answered, or 100. */
  @Override
  public Future<Buffer> request(String node, String op, Buffer body) {
    count(op);
    DeliveryOptions o = new DeliveryOptions(requestOptions).addHeader(OP, op);
    return vertx.eventBus().<Buffer>request(ADDRESS_PREFIX + node, body, o)
        .map(Message::body)
        .recover(e -> Future.failedFuture(clientError(e)));
  }

  /** A one-way message to one node (at most once). */
  @Override
  public void send(String node, String op, Buffer body) {
    count(op);
    vertx.eventBus().send(ADDRESS_PREFIX + node, body, new DeliveryOptions().addHeader(OP, op));
  }

  private void count(String op) {
    sent.computeIfAbsent(op, o -> new java.util.concurrent.atomic.LongAdder()).increment();
  }

  /** Event-bus messages sent to other nodes so far, by op; every request also has one reply. */
  @Override
  public Map<String, Long> sentCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    sent.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }

  /** Answers a request with the outcome of {@code work}; failures carry their protocol error code. */
  public static <T> void reply(NodeMessage message, Future<T> work, Function<T, Buffer> encode) {
    work.onComplete(r -> {
      if (r.succeeded()) {
        message.reply(encode.apply(r.result()));
      } else {
        ClientError e = r.cause() instanceof ClientError.Exception ce ? ce.error() : ClientError.INTERNAL;
        message.fail(e.code(), e.message());
      }
    });
  }

  private static Throwable clientError(Throwable e) {
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      ClientError known = ClientErrors.byCode(re.failureCode());
      if (known != null) {
        return known.asException();
      }
    }
    return ClientError.INTERNAL.asException();
  }

  /** Tells the others this node is going, so its channels move at once, and stops listening. */
  public Future<Void> close() {
    Promise<Void> closed = context.promise();
    context.runOnContext(v -> {
      vertx.cancelTimer(rehelloTimer);
      for (String id : members.others()) {
        send(id, "bye", Buffer.buffer(selfId()));
      }
      if (hzListener != null) {
        try {
          manager.getHazelcastInstance().getCluster().removeMembershipListener(hzListener);
        } catch (RuntimeException ignored) {
          // Hazelcast already stopping
        }
      }
      (consumer == null ? Future.<Void>succeededFuture() : consumer.unregister()).onComplete(x -> closed.complete());
    });
    return closed.future();
  }
}
