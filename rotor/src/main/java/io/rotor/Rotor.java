package io.rotor;

import io.micrometer.core.instrument.MeterRegistry;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.core.ClientInfo;
import io.rotor.core.Disconnect;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.hooks.ConnectHook;
import io.rotor.hooks.PublishHook;
import io.rotor.hooks.RpcHook;
import io.rotor.hooks.SubscribeHook;
import io.rotor.impl.RotorImpl;
import io.rotor.presence.PresenceStats;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Rotor node inside a Vert.x application: the Centrifugo client protocol v2 for the official SDKs,
 * channels with history and recovery, presence, the server API, on the host's {@link Vertx} (and, when
 * that Vert.x is clustered and {@code cluster.enabled} is set, in the host's cluster).
 *
 * <pre>{@code
 * Rotor rotor = Rotor.create(vertx, options)
 *     .meterRegistry(registry)
 *     .connectHook(event -> Future.succeededFuture(ConnectReply.user(sessionUser(event))));
 * rotor.mount(router, "/rt");             // /rt/connection/websocket, /rt/api/..., /rt/health
 * rotor.start().compose(v -> rotor.publish("news", Buffer.buffer("{\"text\":\"hi\"}")));
 * }</pre>
 *
 * <p><b>Threading.</b> Every method may be called from any thread. Futures returned by this
 * interface complete on the caller's context when called from one (a verticle's event loop),
 * else on a Rotor event loop. Hooks run on the event loop of the connection they decide for and must
 * not block it. A {@link ChannelSubscriber} delivers on the context that created it.
 *
 * <p>Configuration ({@link #create}) and the setters ({@link #meterRegistry}, the hooks) come before
 * {@link #start()} or {@link #listen()}; after that they throw {@link IllegalStateException}.
 */
public interface Rotor {

  /** A node configured in code (the same options the config file binds to); not started yet. */
  static Rotor create(Vertx vertx, RotorOptions options) {
    return new RotorImpl(vertx, options);
  }

  /**
   * A node configured by a file (JSON, as {@code rotor.jar --config}) with the process environment's
   * {@code ROTOR_*} overrides; a bad file throws {@link io.rotor.config.ConfigException} naming the key.
   */
  static Rotor create(Vertx vertx, Path configFile) {
    return create(vertx, ConfigLoader.load(configFile, System.getenv()));
  }

  /**
   * Records Rotor's meters ({@code rotor_*}) into the host's registry instead of a private one.
   * {@code /metrics} is mounted only when it is a Prometheus registry and {@code prometheus.enabled}.
   */
  Rotor meterRegistry(MeterRegistry registry);

  /**
   * Authenticates connections that bring no token, as the connect proxy does (and instead of it:
   * refused with {@code client.proxy.connect} enabled). See {@link ConnectHook}.
   */
  Rotor connectHook(ConnectHook hook);

  /** Decides subscriptions in namespaces without {@code subscribe_proxy_enabled}. See {@link SubscribeHook}. */
  Rotor subscribeHook(SubscribeHook hook);

  /** Decides client publications in namespaces without {@code publish_proxy_enabled}. See {@link PublishHook}. */
  Rotor publishHook(PublishHook hook);

  /** Answers client RPCs whose namespace has no RPC proxy. See {@link RpcHook}. */
  Rotor rpcHook(RpcHook hook);

  /**
   * Starts the node: engine, history, cluster membership (when {@code cluster.enabled}), event-bus and
   * gRPC APIs and consumers when configured. It binds no HTTP server: serve it with {@link #mount}.
   */
  Future<Void> start();

  /**
   * Starts the node and binds its own HTTP server on {@code http_server.address}/{@code port} (and
   * {@code internal_port}), one per event loop, as the standalone server does. Call it instead of
   * {@link #start()}. Completes with the bound port (useful with port 0).
   */
  Future<Integer> listen();

  /**
   * Serves Rotor under {@code prefix} on the host's router: the transports
   * ({@code <prefix>/connection/websocket}, SockJS, HTTP streaming, SSE, {@code <prefix>/emulation}),
   * the server API ({@code <prefix><http_api.handler_prefix>}, with its key), {@code <prefix>/health},
   * {@code /ready}, {@code /metrics} and the admin page as configured. May be called before
   * {@link #start()}: requests are answered 503 until the node runs. The host's HTTP server must run
   * on event-loop contexts; no body handler of the host may run before these routes.
   *
   * @param prefix "" or a path starting with "/" and not ending with "/"
   */
  Rotor mount(Router router, String prefix);

  /** This node's id (the cluster member id in a cluster). Only after start. */
  String nodeId();

  // ---- the server API, typed --------------------------------------------------------------

  /**
   * Publishes {@code data} (JSON for JSON clients; any bytes for Protobuf clients, as the channel's
   * {@code publication_data_format} allows) with the HTTP API's {@code publish} semantics. Completes
   * with the publication's position ({@link StreamPosition#EMPTY} on a channel without history);
   * fails with {@link io.rotor.core.ClientError.Exception} (e.g. 102 unknown channel, 107 bad request).
   */
  Future<StreamPosition> publish(String channel, Buffer data);

  /** {@link #publish(String, Buffer)} with {@code tags} and {@code skip_history}. */
  Future<StreamPosition> publish(String channel, Buffer data, Map<String, String> tags, boolean skipHistory);

  /** The API's {@code broadcast}: one publication per channel, one outcome per channel, in order. */
  Future<List<AsyncResult<StreamPosition>>> broadcast(List<String> channels, Buffer data);

  /**
   * The API's {@code subscribe}: subscribes every connection of {@code user} (on every node of a
   * cluster) to {@code channel}, announced to the SDK with a subscribe push.
   */
  Future<Void> subscribe(String user, String channel);

  /** The API's {@code unsubscribe}: every connection of {@code user}, on every node. */
  Future<Void> unsubscribe(String user, String channel);

  /** The API's {@code disconnect}: closes every connection of {@code user}, on every node, with {@code why}. */
  Future<Void> disconnect(String user, Disconnect why);

  /** The API's {@code presence}: the clients subscribed to {@code channel}, by client id (108 without presence). */
  Future<Map<String, ClientInfo>> presence(String channel);

  /** The API's {@code presence_stats}. */
  Future<PresenceStats> presenceStats(String channel);

  /** The API's {@code history}: 108 without history, 112 when {@code since} names another epoch. */
  Future<HistoryResult> history(String channel, HistoryFilter filter);

  /** The API's {@code history_remove}. */
  Future<Void> historyRemove(String channel);

  // ---- server-side subscribers --------------------------------------------------------------

  /**
   * A subscriber of {@code channel} living on the caller's context (a verticle's event loop): it
   * receives the channel's publications in offset order through the node's fan-out, without a
   * WebSocket, from whichever node of the cluster they were published on. Configure its handlers, then
   * {@link ChannelSubscriber#subscribe}. Must be called on an event-loop context.
   */
  ChannelSubscriber subscriber(String channel);

  /**
   * Leaves the cluster's routing, disconnects clients with 3001 (they reconnect elsewhere and
   * recover), closes subscribers and the servers it bound. Does not close the host's Vert.x or router.
   */
  Future<Void> close();
}
