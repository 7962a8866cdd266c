package io.rotor.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.rotor.ChannelSubscriber;
import io.rotor.Rotor;
import io.rotor.config.ConfigException;
import io.rotor.config.RotorOptions;
import io.rotor.core.ClientError;
import io.rotor.core.ClientInfo;
import io.rotor.core.Contexts;
import io.rotor.core.Disconnect;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.hooks.ConnectHook;
import io.rotor.hooks.PublishHook;
import io.rotor.hooks.RpcHook;
import io.rotor.hooks.SubscribeHook;
import io.rotor.metrics.RotorMetrics;
import io.rotor.presence.PresenceStats;
import io.rotor.protocol.JsonCodec;
import io.rotor.proxy.Proxies;
import io.rotor.proxy.ProxyCaller;
import io.rotor.server.RotorServer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Rotor} over {@link RotorServer}: the same assembly the standalone server runs, with the
 * host's registry and hooks, serving through the host's router ({@link MountedRoutes}) or its own
 * port. Typed calls go to the {@link io.rotor.api.ServerApi}'s typed methods; the calls acting on a
 * user's connections go through its method table with a parameter tree, so that in a cluster they
 * reach every node exactly as the HTTP API's do.
 */
public final class RotorImpl implements Rotor {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RotorImpl.class);

  private final Vertx vertx;
  private final RotorOptions options;
  private final Map<String, ProxyCaller> hooks = new HashMap<>();
  private final Set<LocalSubscriber> subscribers = ConcurrentHashMap.newKeySet();
  private MeterRegistry registry;
  private volatile boolean starting;
  private volatile MountedRoutes.Running running;

  public RotorImpl(Vertx vertx, RotorOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  private void notStarted() {
    if (starting) {
      throw new IllegalStateException("configure Rotor before start() or listen()");
    }
  }

  @Override
  public synchronized Rotor meterRegistry(MeterRegistry registry) {
    notStarted();
    this.registry = registry;
    return this;
  }

  private long timeout(io.rotor.config.ProxyOptions o) {
    return Math.max(1, o.getTimeout().toMillis());
  }

  @Override
  public synchronized Rotor connectHook(ConnectHook hook) {
    notStarted();
    if (options.getClient().getProxy().getConnect().isEnabled()) {
      throw new ConfigException("client.proxy.connect is enabled: a connect hook would never be asked; use one or the other");
    }
    hooks.put("connect", HookCaller.connect(vertx, timeout(options.getClient().getProxy().getConnect()), hook));
    return this;
  }

  @Override
  public synchronized Rotor subscribeHook(SubscribeHook hook) {
    notStarted();
    hooks.put(Proxies.SUBSCRIBE, HookCaller.subscribe(vertx, timeout(options.getChannel().getProxy().getSubscribe()), hook));
    return this;
  }

  @Override
  public synchronized Rotor publishHook(PublishHook hook) {
    notStarted();
    hooks.put(Proxies.PUBLISH, HookCaller.publish(vertx, timeout(options.getChannel().getProxy().getPublish()), hook));
    return this;
  }

  @Override
  public synchronized Rotor rpcHook(RpcHook hook) {
    notStarted();
    hooks.put("rpc", HookCaller.rpc(vertx, timeout(options.getRpc().getProxy()), hook));
    return this;
  }

  @Override
  public Future<Void> start() {
    return start(false).mapEmpty();
  }

  @Override
  public Future<Integer> listen() {
    return start(true).map(RotorServer::port);
  }

  private synchronized Future<RotorServer> start(boolean listen) {
    if (starting) {
      return Future.failedFuture(new IllegalStateException("Rotor was started already"));
    }
    starting = true;
    if (options.getCluster().isEnabled() && (!options.getCluster().getMembers().isEmpty()
        || options.getCluster().getTls().isEnabled())) {
      // Nothing accepted silently: the host built its clustered Vert.x, these keys shape nothing here.
      LOG.warn("cluster.members and cluster.tls are not used by an embedded Rotor: the host's clustered Vert.x"
          + " (its Hazelcast and event-bus options) decides how nodes join and talk");
    }
    MeterRegistry meters = registry != null ? registry : RotorMetrics.newRegistry();
    Future<RotorServer> started = RotorServer.start(vertx, options, new RotorServer.Wiring(meters, Map.copyOf(hooks), listen))
        .onSuccess(server -> running = new MountedRoutes.Running(server, new LoopHubs(server.node())));
    return Contexts.backOn(Vertx.currentContext(), started);
  }

  @Override
  public Rotor mount(Router router, String prefix) {
    if (prefix == null || !prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw new IllegalArgumentException("prefix must be \"\" or start with \"/\" and not end with \"/\": " + prefix);
    }
    if (options.getHttpServer().getInternalPort() > 0) {
      throw new ConfigException("http_server.internal_port is served by listen() only; on a host router the API and"
          + " operator endpoints are under the mount prefix");
    }
    new MountedRoutes(prefix, () -> running).mountOn(router);
    return this;
  }

  /** The running server; package-private for the subscriber tests. */
  RotorServer server() {
    MountedRoutes.Running r = running;
    if (r == null) {
      throw new IllegalStateException("Rotor is not running: call start() or listen() first");
    }
    return r.server();
  }

  @Override
  public String nodeId() {
    return server().nodeId();
  }

  /** A call's outcome on the caller's context (a verticle's loop), whichever loop finished it. */
  private static <T> Future<T> back(Future<T> work) {
    return Contexts.backOn(Vertx.currentContext(), work);
  }

  private static <T> Future<T> guarded(java.util.function.Supplier<Future<T>> call) {
    try {
      return back(call.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  // ---- the server API ---------------------------------------------------------------------

  @Override
  public Future<StreamPosition> publish(String channel, Buffer data) {
    return publish(channel, data, null, false);
  }

  @Override
  public Future<StreamPosition> publish(String channel, Buffer data, Map<String, String> tags, boolean skipHistory) {
    return guarded(() -> server().api().publish(channel, data == null ? null : data.getBytes(), tags, skipHistory));
  }

  @Override
  public Future<List<AsyncResult<StreamPosition>>> broadcast(List<String> channels, Buffer data) {
    return guarded(() -> {
      if (channels == null || channels.isEmpty() || data == null) {
        return Future.failedFuture(ClientError.BAD_REQUEST.asException());
      }
      byte[] bytes = data.getBytes();
      List<Future<StreamPosition>> each = new ArrayList<>();
      for (String c : channels) {
        each.add(server().api().publish(c, bytes, null, false));
      }
      return Future.join(each).transform(v -> Future.succeededFuture(new ArrayList<AsyncResult<StreamPosition>>(each)));
    });
  }

  @Override
  public Future<Void> subscribe(String user, String channel) {
    return onConnections("subscribe", JsonCodec.object().put("user", user).put("channel", channel));
  }

  @Override
  public Future<Void> unsubscribe(String user, String channel) {
    return onConnections("unsubscribe", JsonCodec.object().put("user", user).put("channel", channel));
  }

  @Override
  public Future<Void> disconnect(String user, Disconnect why) {
    ObjectNode params = JsonCodec.object().put("user", user);
    if (why != null) {
      params.putObject("disconnect").put("code", why.code()).put("reason", why.reason());
    }
    return onConnections("disconnect", params);
  }

  /** A method acting on a user's connections on every node (see the class comment). */
  private Future<Void> onConnections(String method, JsonNode params) {
    return guarded(() -> server().api().call(method, params).mapEmpty());
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    return guarded(() -> server().api().presence(channel));
  }

  @Override
  public Future<PresenceStats> presenceStats(String channel) {
    return guarded(() -> server().api().presenceStats(channel));
  }

  @Override
  public Future<HistoryResult> history(String channel, HistoryFilter filter) {
    return guarded(() -> server().api().history(channel, filter));
  }

  @Override
  public Future<Void> historyRemove(String channel) {
    return guarded(() -> server().api().historyRemove(channel));
  }

  // ---- subscribers ------------------------------------------------------------------------

  @Override
  public ChannelSubscriber subscriber(String channel) {
    MountedRoutes.Running r = running;
    if (r == null) {
      throw new IllegalStateException("Rotor is not running: call start() or listen() first");
    }
    LocalSubscriber[] self = new LocalSubscriber[1];
    self[0] = new LocalSubscriber(r.server().node(), r.hubs().current(), channel, () -> subscribers.remove(self[0]));
    subscribers.add(self[0]);
    return self[0];
  }

  @Override
  public Future<Void> close() {
    MountedRoutes.Running r = running;
    if (r == null) {
      return Future.succeededFuture();
    }
    running = null;
    List<Future<Void>> left = new ArrayList<>();
    for (LocalSubscriber s : List.copyOf(subscribers)) {
      left.add(s.unsubscribe());
    }
    return back(Future.join(left).transform(v -> r.server().close()).andThen(v -> r.hubs().close()));
  }
}
