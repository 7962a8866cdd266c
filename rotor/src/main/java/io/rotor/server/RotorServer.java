package io.rotor.server;

import io.rotor.api.EventBusApi;
import io.rotor.api.ServerApi;
import io.rotor.broker.Broker;
import io.rotor.broker.MemoryBroker;
import io.rotor.cluster.Cluster;
import io.rotor.cluster.ClusterApi;
import io.rotor.cluster.ClusterPresenceStore;
import io.rotor.cluster.ClusterRoutes;
import io.rotor.cluster.ClusterSequencer;
import io.rotor.cluster.EventBusBroker;
import io.rotor.cluster.NodeMesh;
import io.rotor.config.RotorOptions;
import io.rotor.history.HistoryStore;
import io.rotor.history.MemoryHistoryStore;
import io.rotor.history.RedisHistoryStore;
import io.rotor.history.Sequencer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rotor.proxy.ProxyCaller;
import io.rotor.history.SharedReads;
import io.rotor.metrics.EventLoopLag;
import io.rotor.metrics.NodeHistory;
import io.rotor.metrics.RotorMetrics;
import io.rotor.transport.TransportSessions;
import io.rotor.node.Node;
import io.rotor.presence.MemoryPresenceStore;
import io.rotor.presence.PresenceStore;
import io.rotor.presence.RedisPresenceStore;
import io.rotor.nats.NatsBroker;
import io.rotor.redis.RedisBroker;
import io.rotor.redis.RedisNodes;
import io.rotor.redis.RedisShards;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running Rotor node inside a Vert.x instance: the engine (memory or Redis), the history
 * verticle, in a cluster the event-bus broker and channel routing, the event-bus API, then one
 * connection verticle per event loop (or none, when an embedding host serves the routes on its own
 * router). Used by {@code Main}, by the embedding API ({@code io.rotor.Rotor}) and by tests, which
 * start it on port 0.
 */
public final class RotorServer {

  private final Vertx vertx;
  private final Node node;
  private final ServerApi api;
  private final int port;
  private final List<String> deployments;

  private final Resources resources;
  private final EventLoopLag lag;
  private final TransportSessions sessions;
  private final io.rotor.admin.LoginThrottle adminLogins;

  private RotorServer(Vertx vertx, Node node, ServerApi api, int port, List<String> deployments, Resources resources,
      EventLoopLag lag, TransportSessions sessions, io.rotor.admin.LoginThrottle adminLogins) {
    this.adminLogins = adminLogins;
    this.api = api;
    this.sessions = sessions;
    this.vertx = vertx;
    this.node = node;
    this.port = port;
    this.deployments = deployments;
    this.resources = resources;
    this.lag = lag;
  }

  /** A node with a Prometheus registry of its own. */
  public static Future<RotorServer> start(Vertx vertx, RotorOptions options) {
    return start(vertx, options, RotorMetrics.newRegistry());
  }

  /**
   * A node recording its meters into {@code registry} (the one Vert.x reports into, when the
   * process created Vert.x with {@link RotorMetrics#vertxMetrics}).
   */
  public static Future<RotorServer> start(Vertx vertx, RotorOptions options, PrometheusMeterRegistry registry) {
    return start(vertx, options, new Wiring(registry, Map.of(), true));
  }

  /**
   * What an embedding application brings: its meter registry, its Java hooks (answering as the
   * proxies of their kind), and whether Rotor binds its own HTTP server ({@code listen}) or leaves the
   * serving to the host's router.
   */
  public record Wiring(MeterRegistry registry, Map<String, ProxyCaller> hooks, boolean listen) {
  }

  public static Future<RotorServer> start(Vertx vertx, RotorOptions options, Wiring wiring) {
    MeterRegistry registry = wiring.registry();
    RedisShards redis = options.getEngine().isRedis() ? new RedisShards(vertx, options.getEngine().getRedis()) : null;
    Cluster cluster = options.getCluster().isEnabled() ? new Cluster(vertx, options.getCluster()) : null;
    // Redis without a Hazelcast cluster: Redis is the broker too, and carries messages between nodes.
    // With broker.type nats, NATS fans out instead and Redis keeps the rest (validation requires it).
    boolean nats = options.getBroker().isNats();
    RedisBroker redisBroker = redis != null && cluster == null && !nats ? new RedisBroker(redis) : null;
    RedisHistoryStore redisHistory = redis != null ? new RedisHistoryStore(redis, redisBroker != null) : null;
    NatsBroker natsBroker = nats ? new NatsBroker(vertx, options.getBroker().getNats(),
        NatsBroker.Streams.of(redisHistory)) : null;
    RedisNodes redisNodes = redis != null && cluster == null
        ? new RedisNodes(vertx, redis, options.getEngine().getRedis().getCommandTimeout().toMillis()) : null;
    NodeMesh mesh = cluster != null ? cluster : redisNodes;
    HistoryStore store = redisHistory != null ? redisHistory : new MemoryHistoryStore();
    Broker broker = cluster != null ? new EventBusBroker(cluster) : redisBroker != null ? redisBroker
        : natsBroker != null ? natsBroker : new MemoryBroker();
    HistoryVerticle history = new HistoryVerticle(store, broker);
    List<String> deployments = new ArrayList<>();
    Future<Void> reachable = (redis != null ? redis.ping() : Future.<Void>succeededFuture())
        .compose(v -> natsBroker != null ? natsBroker.connect() : Future.succeededFuture());
    return reachable.compose(v -> vertx.deployVerticle(history)).compose(historyId -> {
      deployments.add(historyId);
      // Recoveries of one channel in a burst (a reconnect storm) share one history read.
      Sequencer sequencer = new SharedReads(
          cluster != null ? new ClusterSequencer(cluster, history.sequencer()) : history.sequencer());
      PresenceStore presence = redis != null
          ? new RedisPresenceStore(vertx, redis, options.getEngine().getRedis().getPresenceTtl(),
              options.getClient().getPresenceUpdateInterval())
          : cluster != null ? new ClusterPresenceStore(cluster) : new MemoryPresenceStore();
      RotorMetrics metrics = new RotorMetrics(registry);
      Node node = mesh != null
          ? new Node(mesh.selfId(), vertx, options, broker, sequencer, presence, metrics)
          : new Node(vertx, options, broker, sequencer, presence, metrics);
      node.proxies().hooks(wiring.hooks());
      node.start();
      ServerApi api = new ServerApi(node);
      // Node-wide: the admin routes are mounted once per event loop, failed logins count across them.
      io.rotor.admin.LoginThrottle adminLogins = new io.rotor.admin.LoginThrottle();
      TransportSessions sessions = TransportSessions.create();
      ClusterRoutes routes = mesh != null ? ClusterRoutes.install(mesh, node, sessions) : null;
      if (mesh != null) {
        ClusterApi.install(mesh, api);
        metrics.clusterSize(() -> mesh.memberIds().size());
      }
      node.userDisconnector((user, keep, why) -> api.call("disconnect", io.rotor.protocol.JsonCodec.object()
          .put("user", user).<com.fasterxml.jackson.databind.node.ObjectNode>set("disconnect", io.rotor.protocol.JsonCodec.object()
              .put("code", why.code()).put("reason", why.reason()))
          .set("whitelist", io.rotor.protocol.JsonCodec.MAPPER.createArrayNode().add(keep))).mapEmpty());
      if (redisBroker != null) {
        redisBroker.onResubscribed(node::checkPositionsNow);
      }
      if (natsBroker != null) {
        natsBroker.onResubscribed(node::checkPositionsNow);
      }
      Resources resources = new Resources(cluster, presence, redis, redisBroker, redisNodes, natsBroker);
      // Started before the probe: it tells the probe's misses under overload from silent faults.
      EventLoopLag lag = EventLoopLag.start(vertx, node.metrics().registry());
      resources.history = NodeHistory.start(vertx, node.metrics().registry(), lag);
      io.rotor.admin.NodeCharts.install(api, node.id(), resources.history::samples);
      long admissionLag = options.getClient().getConnectionAdmissionLag().toMillis();
      if (admissionLag > 0) {
        node.connectionLimiter().admitWhileLagBelow(lag::currentMs, admissionLag);
      }
      return (cluster != null ? cluster.start() : redisNodes != null ? redisNodes.start() : Future.<Void>succeededFuture())
          .andThen(x -> node.startLivenessProbe(cluster != null ? cluster::owns : c -> true, lag))
          .compose(x -> options.getEventBusApi().isEnabled()
              ? EventBusApi.register(vertx, options.getEventBusApi().getAddress(), api).map(c -> resources.apiConsumer = c)
              : Future.succeededFuture())
          .compose(x -> ApiSources.start(vertx, options, api).map(a -> resources.sources = a))
          .compose(x -> wiring.listen()
              ? deployConnections(vertx, options, node, api, sessions, adminLogins, deployments)
              : Future.succeededFuture(0))
          .onSuccess(port -> {
            if (routes != null) {
              routes.listening(port);
            }
          })
          .map(port -> new RotorServer(vertx, node, api, port, deployments, resources, lag, sessions, adminLogins))
          .onFailure(e -> {
            lag.stop();
            resources.history.stop();
          });
    });
  }

  /** One connection verticle per event loop, all on one port. */
  private static Future<Integer> deployConnections(Vertx vertx, RotorOptions options, Node node, ServerApi api,
      TransportSessions sessions, io.rotor.admin.LoginThrottle adminLogins, List<String> deployments) {
    String host = options.getHttpServer().getAddress().isEmpty() ? "0.0.0.0" : options.getHttpServer().getAddress();
    // All instances must listen on the same port to share it. For port 0 they listen on -1: Vert.x
    // binds one random port for every server given the same negative port (no probe-then-bind race).
    int configured = options.getHttpServer().getPort();
    int listenPort = configured == 0 ? -1 : configured;
    ConnectionVerticle first = new ConnectionVerticle(node, api, sessions, adminLogins, host, listenPort);
    Future<String> internal = InternalVerticle.enabled(options)
        ? vertx.deployVerticle(new InternalVerticle(node, api)).onSuccess(deployments::add)
        : Future.succeededFuture();
    return internal.compose(i -> vertx.deployVerticle(first)).compose(firstId -> {
      deployments.add(firstId);
      int loops = 0;
      // Internal: no public API tells how many event loops this Vert.x has (the host may have
      // configured it); one connection verticle per loop is what spreads connections over them.
      for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
        loops++;
      }
      List<Future<String>> more = new ArrayList<>();
      for (int i = 1; i < loops; i++) {
        more.add(vertx.deployVerticle(new ConnectionVerticle(node, api, sessions, adminLogins, host, listenPort)));
      }
      return Future.all(more).map(all -> {
        more.forEach(f -> deployments.add(f.result()));
        return first.actualPort();
      });
    });
  }

  /** What the node holds besides verticles, released on close. */
  private static final class Resources {
    final Cluster cluster;
    final PresenceStore presence;
    final RedisShards redis;
    final RedisBroker redisBroker;
    final RedisNodes redisNodes;
    final NatsBroker natsBroker;
    MessageConsumer<Object> apiConsumer;
    ApiSources sources;
    NodeHistory history;

    Resources(Cluster cluster, PresenceStore presence, RedisShards redis, RedisBroker redisBroker, RedisNodes redisNodes,
        NatsBroker natsBroker) {
      this.natsBroker = natsBroker;
      this.cluster = cluster;
      this.presence = presence;
      this.redis = redis;
      this.redisBroker = redisBroker;
      this.redisNodes = redisNodes;
    }

    NodeMesh mesh() {
      return cluster != null ? cluster : redisNodes;
    }

    Future<Void> close() {
      history.stop();
      Future<Void> sourcesClosed = sources == null ? Future.succeededFuture() : sources.close();
      Future<Void> api = sourcesClosed.transform(x -> apiConsumer == null ? Future.succeededFuture() : apiConsumer.unregister());
      return api.transform(x -> cluster != null ? cluster.close()
          : redisNodes != null ? redisNodes.close() : Future.<Void>succeededFuture()).andThen(x -> {
        if (redisBroker != null) {
          redisBroker.close();
        }
        if (natsBroker != null) {
          natsBroker.close();
        }
        if (presence instanceof RedisPresenceStore r) {
          r.close();
        }
        if (redis != null) {
          redis.close();
        }
      });
    }
  }

  /** The ready cluster members this node knows, itself included; just itself without a cluster. */
  public List<String> members() {
    return resources.mesh() == null ? List.of(node.id()) : resources.mesh().memberIds();
  }

  /** The node's cluster membership, or null for a single node. */
  public Cluster cluster() {
    return resources.cluster;
  }

  /** The messages between nodes (Hazelcast event bus or Redis), or null for a single node. */
  public NodeMesh mesh() {
    return resources.mesh();
  }

  /** This node's id: the cluster member id in a cluster. */
  public String nodeId() {
    return node.id();
  }

  /** The node's admin login throttle, shared by every event loop's admin routes. */
  public io.rotor.admin.LoginThrottle adminLogins() {
    return adminLogins;
  }

  /** The node's open emulation and SockJS sessions, and its routes to other nodes' sessions. */
  public TransportSessions sessions() {
    return sessions;
  }

  public int port() {
    return port;
  }

  /** The gRPC API's port ({@code grpc_api}), or -1 when it is off. */
  public int grpcPort() {
    return resources.sources == null ? -1 : resources.sources.grpcPort();
  }

  public Node node() {
    return node;
  }

  /** The server API this node serves (HTTP, event bus, gRPC): the embedding API's typed calls go through it. */
  public ServerApi api() {
    return api;
  }

  /** Disconnects clients with 3001, leaves the cluster's routing and undeploys. */
  public Future<Void> close() {
    lag.stop();
    return node.shutdown().transform(v -> resources.close()).transform(v -> {
      List<Future<Void>> undeployed = new ArrayList<>();
      for (int i = deployments.size() - 1; i >= 0; i--) {
        undeployed.add(vertx.undeploy(deployments.get(i)));
      }
      return Future.join(undeployed).mapEmpty();
    });
  }
}
