package io.rotor.node;

import io.rotor.auth.TokenVerifier;
import io.rotor.broker.Broker;
import io.rotor.broker.BrokerEventHandler;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.channel.ChannelResolver;
import io.rotor.channel.ResolvedChannel;
import io.rotor.config.RotorOptions;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.history.PublishConditions;
import io.rotor.history.Sequencer;
import io.rotor.hub.Hub;
import io.rotor.limits.ConnectionLimiter;
import io.rotor.presence.PresenceStore;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.protocol.PreparedPush;
import io.rotor.protocol.Protos;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node: wires the broker, history sequencer, presence store and the per-event-loop Hubs, and
 * offers what clients and the server API act through (publish, history, presence, clients by user).
 */
public final class Node implements BrokerEventHandler {

  public static final String VERSION = "0.1.0";

  private final String id;
  private final Vertx vertx;
  private final RotorOptions options;
  private final ChannelResolver resolver;
  private final TokenVerifier tokenVerifier;
  private final TokenVerifier subscriptionTokenVerifier;
  private final ConnectionLimiter connectionLimiter;
  private final Broker broker;
  private final Sequencer sequencer;
  private final PresenceStore presence;
  private final long startedAt = System.currentTimeMillis();
  private final io.rotor.proxy.Proxies proxies;
  private final io.rotor.metrics.RotorMetrics metrics;
  /** Set when shutdown starts: readiness answers 503 from then on. */
  private volatile boolean draining;

  private final List<Hub> hubs = new CopyOnWriteArrayList<>();
  private final Map<String, Connection> clients = new ConcurrentHashMap<>();
  /** Connected clients' metric labels (client_name, client_version), from their connect command. */
  private final Map<String, io.rotor.metrics.RotorMetrics.ClientLabels> clientLabels = new ConcurrentHashMap<>();
  private final Map<String, Set<Connection>> users = new ConcurrentHashMap<>();
  /**
   * Local subscribers per channel; 0 to 1 and 1 to 0 tell the broker. {@code registered}
   * completes when the broker delivers the channel here (in a cluster: the owner knows this node).
   */
  private record Interest(int count, Future<Void> registered) {
  }

  private final Map<String, Interest> channels = new ConcurrentHashMap<>();
  private final DeltaBases deltaBases = new DeltaBases();
  private volatile PositionCheck positionCheck;
  private volatile LivenessProbe livenessProbe;

  public Node(Vertx vertx, RotorOptions options, Broker broker, Sequencer sequencer, PresenceStore presence,
      io.rotor.metrics.RotorMetrics metrics) {
    this(UUID.randomUUID().toString(), vertx, options, broker, sequencer, presence, metrics);
  }

  /** With the id other nodes know this one by (the cluster member id), recording into {@code metrics}. */
  public Node(String id, Vertx vertx, RotorOptions options, Broker broker, Sequencer sequencer, PresenceStore presence,
      io.rotor.metrics.RotorMetrics metrics) {
    this.id = id;
    this.vertx = vertx;
    this.options = options;
    this.resolver = new ChannelResolver(options.getChannel());
    this.tokenVerifier = TokenVerifier.create(vertx, options.getClient().getToken());
    this.subscriptionTokenVerifier = options.getClient().getSubscriptionToken().isEnabled()
        ? TokenVerifier.create(vertx, options.getClient().getSubscriptionToken()) : tokenVerifier;
    this.connectionLimiter = new ConnectionLimiter(options.getClient().getConnectionLimit(),
        options.getClient().getConnectionRateLimit());
    this.broker = broker;
    this.sequencer = sequencer;
    // Every presence call counts as Centrifugo's node action (add_presence, presence, ...).
    this.presence = new io.rotor.metrics.PresenceActions(presence, metrics);
    this.proxies = new io.rotor.proxy.Proxies(vertx, options);
    this.metrics = metrics;
    metrics.nodeGauges(this::numClients, this::numUsers, this::numChannels, this::numSubscriptions, VERSION);
    proxies.observer(metrics::proxy);
    if (options.getPrometheus().isChannelNamespaceResolution()) {
      metrics.channelNamespaces(resolver::namespaceOf);
    }
  }

  /**
   * Starts receiving the broker's events and the periodic position check. Called once the node is
   * built and before any client connects: the constructor hands {@code this} to no one.
   */
  public void start() {
    broker.setEventHandler(this);
    positionCheck = new PositionCheck(this);
  }

  public io.rotor.metrics.RotorMetrics metrics() {
    return metrics;
  }

  public boolean draining() {
    return draining;
  }

  public io.rotor.proxy.Proxies proxies() {
    return proxies;
  }

  public String id() {
    return id;
  }

  public String version() {
    return VERSION;
  }

  public Vertx vertx() {
    return vertx;
  }

  public RotorOptions options() {
    return options;
  }

  public ChannelResolver resolver() {
    return resolver;
  }

  public TokenVerifier tokenVerifier() {
    return tokenVerifier;
  }

  /** Verifies subscription tokens: {@code client.subscription_token} when enabled, else {@code client.token}. */
  public TokenVerifier subscriptionTokenVerifier() {
    return subscriptionTokenVerifier;
  }

  /** Node-wide connection admission: every transport asks it before accepting a connection. */
  public ConnectionLimiter connectionLimiter() {
    return connectionLimiter;
  }

  public PresenceStore presence() {
    return presence;
  }

  public long uptimeSeconds() {
    return (System.currentTimeMillis() - startedAt) / 1000;
  }

  public void addHub(Hub hub) {
    hubs.add(hub);
  }

  public void removeHub(Hub hub) {
    hubs.remove(hub);
  }

  // ---- publishing and history -------------------------------------------------------------

  /** Publishes to a channel: through the sequencer when it keeps history, else straight out. */
  public Future<StreamPosition> publish(ResolvedChannel channel, Publication publication) {
    return publish(channel, publication, PublishConditions.NONE);
  }

  /**
   * A publish with Centrifugo's idempotency key / version: decided by the channel's sequencer (an
   * idempotent publish without history goes there too, so a retry on another node finds its key).
   */
  public Future<StreamPosition> publish(ResolvedChannel channel, Publication publication, PublishConditions conditions) {
    long start = System.nanoTime();
    return send(channel, publication, conditions)
        .onSuccess(p -> metrics.published(channel.name(), System.nanoTime() - start));
  }

  /**
   * The liveness probe's publish: the same path, but not counted among the node's publications, so
   * the meters and the admin charts show what clients and the API published.
   */
  Future<StreamPosition> publishProbe(ResolvedChannel channel, Publication publication) {
    return send(channel, publication, PublishConditions.NONE);
  }

  private Future<StreamPosition> send(ResolvedChannel channel, Publication publication, PublishConditions conditions) {
    // (In a cluster the broker forwards a publication without history to the channel's owner.)
    if (channel.options().isDeltaPublish()) {
      publication = publication.withDelta(true);
    }
    return channel.historyEnabled() || conditions.idempotent()
        ? sequencer.publish(channel.name(), publication, channel.historyEnabled() ? channel.history() : null, conditions)
        : broker.publish(channel.name(), publication).map(StreamPosition.EMPTY);
  }

  /** The history call of clients and the API: 107 for reverse from 0, 112 on another epoch. */
  public Future<HistoryResult> history(ResolvedChannel channel, HistoryFilter filter) {
    StreamPosition since = filter.since();
    if (since != null && filter.reverse() && since.offset() == 0) {
      return Future.failedFuture(ClientError.BAD_REQUEST.asException());
    }
    return readHistory(channel, filter).compose(r -> {
      if (since != null && !since.epoch().isEmpty() && !since.epoch().equals(r.top().epoch())) {
        return Future.failedFuture(ClientError.UNRECOVERABLE_POSITION.asException());
      }
      return Future.succeededFuture(r);
    });
  }

  /** A raw history read (recovery compares epochs itself). */
  public Future<HistoryResult> readHistory(ResolvedChannel channel, HistoryFilter filter) {
    metrics.action("history", channel.name());
    return sequencer.history(channel.name(), filter, channel.history());
  }

  /**
   * A history read for {@code purpose}, Centrifugo's action name for it ({@code history_recover},
   * {@code history_recover_cache}, {@code history_stream_top}), counted besides {@code history} as
   * Centrifugo counts both.
   */
  public Future<HistoryResult> readHistory(ResolvedChannel channel, HistoryFilter filter, String purpose) {
    metrics.action(purpose, channel.name());
    return readHistory(channel, filter);
  }

  public Future<Void> removeHistory(ResolvedChannel channel) {
    metrics.action("history_remove", channel.name());
    return sequencer.remove(channel.name());
  }

  public void publishJoin(String channel, ClientInfo info) {
    broker.publishJoin(channel, info);
  }

  public void publishLeave(String channel, ClientInfo info) {
    broker.publishLeave(channel, info);
  }

  // ---- fan-out from the broker (any thread) ------------------------------------------------

  @Override
  public void onPublication(String channel, Publication publication) {
    LivenessProbe probe = livenessProbe;
    if (probe != null && probe.accept(channel, publication)) {
      return;
    }
    metrics.brokerMessage("publication", channel);
    PreparedPush push = null;
    byte[] deltaBase = deltaBases.advance(channel, publication);
    for (Hub hub : hubs) {
      if (hub.hasChannel(channel)) {
        if (push == null) {
          // One prepared push for the whole fan-out: each kind of subscriber is encoded once.
          push = new PreparedPush(Protos.publicationPush(channel, publication), deltaBase);
        }
        PreparedPush p = push;
        hub.context().runOnContext(v -> metrics.delivered(hub.deliver(channel, publication, p)));
      }
    }
  }

  @Override
  public void onJoin(String channel, ClientInfo info) {
    metrics.brokerMessage("join", channel);
    joinLeave(channel, () -> Protos.joinPush(channel, info));
  }

  @Override
  public void onLeave(String channel, ClientInfo info) {
    metrics.brokerMessage("leave", channel);
    joinLeave(channel, () -> Protos.leavePush(channel, info));
  }

  private void joinLeave(String channel, java.util.function.Supplier<io.rotor.protocol.pb.Push> message) {
    PreparedPush push = null;
    for (Hub hub : hubs) {
      if (hub.hasChannel(channel)) {
        if (push == null) {
          push = new PreparedPush(message.get());
        }
        PreparedPush p = push;
        hub.context().runOnContext(v -> hub.deliverJoinLeave(channel, p));
      }
    }
  }

  /** Checks every local subscriber's position now (the broker may have lost messages). */
  public void checkPositionsNow() {
    positionCheck.check();
  }

  /** Hands a channel's stream top to every Hub with the channel, to check its subscribers' positions. */
  void checkPositions(String channel, StreamPosition top) {
    for (Hub hub : hubs) {
      if (hub.hasChannel(channel)) {
        hub.context().runOnContext(v -> hub.checkPosition(channel, top));
      }
    }
  }

  // ---- liveness ---------------------------------------------------------------------------

  /** Starts the liveness probe ({@code health.*}) on a channel for which {@code ownedHere} is true. */
  public void startLivenessProbe(java.util.function.Predicate<String> ownedHere, io.rotor.metrics.EventLoopLag lag) {
    livenessProbe = new LivenessProbe(this, ownedHere, lag);
  }

  /** True when the liveness probe failed: publications may not be flowing through this node. */
  public boolean degraded() {
    LivenessProbe p = livenessProbe;
    return p != null && p.degraded();
  }

  /** The liveness probe's state for {@code /health} and {@code /ready}. */
  public io.vertx.core.json.JsonObject livenessStatus() {
    LivenessProbe p = livenessProbe;
    return p == null ? new io.vertx.core.json.JsonObject().put("enabled", false) : p.status();
  }

  /** Registers interest in a channel without a local subscriber (the probe's own channel). */
  Future<Void> watch(String channel) {
    return channels.compute(channel, (c, cur) -> {
      if (cur != null) {
        return new Interest(cur.count() + 1, cur.registered());
      }
      brokerAction("broker_subscribe", c);
      return new Interest(1, broker.subscribe(c));
    }).registered();
  }

  void unwatch(String channel) {
    channels.computeIfPresent(channel, (c, cur) -> {
      if (cur.count() > 1) {
        return new Interest(cur.count() - 1, cur.registered());
      }
      brokerAction("broker_unsubscribe", c);
      broker.unsubscribe(c);
      return null;
    });
  }

  /** The probe's own channel is not a client's: its broker (un)subscribes are not counted. */
  private void brokerAction(String action, String channel) {
    if (!channel.startsWith(LivenessProbe.PREFIX)) {
      metrics.action(action, channel);
    }
  }

  /**
   * Disconnects every client with {@code why}, each on its own context at a random moment within
   * {@code spreadMs}, so that they do not all reconnect (and recover) at once.
   */
  void disconnectAll(Disconnect why, long spreadMs) {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (Connection c : clients.values()) {
      long delay = 1 + (spreadMs > 1 ? random.nextLong(spreadMs) : 0);
      c.context().runOnContext(x -> vertx.setTimer(delay, t -> c.close(why)));
    }
  }

  // ---- subscriptions and clients ----------------------------------------------------------

  /**
   * Adds a local subscriber. The future completes (on the caller's context) once publications of
   * the channel reach this node, so a stream position read after it misses nothing.
   */
  public Future<Void> addSubscription(Hub hub, String channel, Hub.Subscriber subscriber) {
    metrics.action("add_subscription", channel);
    hub.addSubscriber(channel, subscriber);
    Future<Void> registered = watch(channel);
    if (registered.isComplete()) {
      return registered.succeeded() ? registered : Future.succeededFuture();
    }
    // A failed registration is retried by the broker on membership changes; the subscriber stays.
    // The caller goes on on its own event loop, where its subscription state lives.
    return io.rotor.core.Contexts.backOn(Vertx.currentContext(), registered.<Void>transform(r -> Future.succeededFuture()));
  }

  /** A local subscriber of the channel negotiated delta compression: keep the base of the next delta. */
  public void addDeltaSubscriber(String channel) {
    deltaBases.addSubscriber(channel);
  }

  /** A publication of the channel read from history: the base of the next delta if none is newer. */
  public void seedDeltaBase(String channel, Publication publication) {
    deltaBases.seed(channel, publication);
  }

  public void removeDeltaSubscriber(String channel) {
    deltaBases.removeSubscriber(channel);
  }

  public void removeSubscription(Hub hub, String channel, Hub.Subscriber subscriber) {
    metrics.action("remove_subscription", channel);
    hub.removeSubscriber(channel, subscriber);
    unwatch(channel);
  }

  /**
   * The name and version a client sent in its connect command, for its metric labels; called before
   * {@link #registerConnection} (a connection registered without them is unnamed and unversioned).
   */
  public void clientNameAndVersion(String clientId, String name, String version) {
    clientLabels.put(clientId, metrics.clientLabels(name, version));
  }

  /** A connected client's metric labels (unnamed and unversioned for one that is not connected). */
  public io.rotor.metrics.RotorMetrics.ClientLabels clientLabels(String clientId) {
    io.rotor.metrics.RotorMetrics.ClientLabels labels = clientLabels.get(clientId);
    return labels != null ? labels : metrics.clientLabels("", "");
  }

  public void registerConnection(Connection client) {
    metrics.action("add_client", null);
    if (clients.put(client.id(), client) == null) {
      metrics.connectionOpened(client.transportName(),
          clientLabels.computeIfAbsent(client.id(), id -> metrics.clientLabels("", "")));
    }
    users.computeIfAbsent(client.user(), u -> ConcurrentHashMap.newKeySet()).add(client);
  }

  public void unregisterConnection(Connection client) {
    metrics.action("remove_client", null);
    if (clients.remove(client.id(), client)) {
      metrics.connectionClosed(client.transportName(), clientLabels.remove(client.id()));
    }
    users.computeIfPresent(client.user(), (u, set) -> {
      set.remove(client);
      return set.isEmpty() ? null : set;
    });
  }

  public int userConnectionCount(String user) {
    Set<Connection> set = users.get(user);
    return set == null ? 0 : set.size();
  }

  /**
   * Closes every connection of a user but one, on every node (the server API's {@code disconnect}
   * with a whitelist, wired where the server is assembled): {@code single_connection} of the personal channel.
   */
  public Future<Void> disconnectUserExcept(String user, String keepClient, Disconnect why) {
    return userDisconnector.disconnect(user, keepClient, why);
  }

  public void userDisconnector(UserDisconnector disconnector) {
    this.userDisconnector = disconnector;
  }

  /** See {@link #disconnectUserExcept}. */
  public interface UserDisconnector {
    Future<Void> disconnect(String user, String keepClient, Disconnect why);
  }

  private UserDisconnector userDisconnector = (user, keep, why) ->
      Future.failedFuture(new IllegalStateException("no user disconnector wired"));

  public Collection<Connection> clientsOf(String user) {
    Set<Connection> set = users.get(user);
    return set == null ? List.of() : new ArrayList<>(set);
  }

  public Connection client(String id) {
    return clients.get(id);
  }

  /** Subscriber counts per channel on this node; the liveness probe's own channel is not shown. */
  public Map<String, Integer> channelCounts() {
    Map<String, Integer> out = new java.util.HashMap<>();
    channels.forEach((c, i) -> {
      if (!c.startsWith(LivenessProbe.PREFIX)) {
        out.put(c, i.count());
      }
    });
    return out;
  }

  /** Channels with local subscribers (the broker re-registers them when channel owners move). */
  public Set<String> localChannels() {
    return Set.copyOf(channels.keySet());
  }

  public int numClients() {
    return clients.size();
  }

  public int numUsers() {
    return users.size();
  }

  public int numChannels() {
    return channelCounts().size();
  }

  public int numSubscriptions() {
    int n = 0;
    for (int count : channelCounts().values()) {
      n += count;
    }
    return n;
  }

  /** Closes every client with 3001 so they reconnect elsewhere. */
  public Future<Void> shutdown() {
    draining = true;
    if (positionCheck != null) {
      positionCheck.stop();
    }
    if (livenessProbe != null) {
      livenessProbe.stop();
    }
    List<Future<Void>> closed = new ArrayList<>();
    for (Connection c : clients.values()) {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      c.context().runOnContext(x -> {
        c.close(Disconnect.SHUTDOWN);
        done.complete();
      });
      closed.add(done.future());
    }
    return Future.join(closed).mapEmpty();
  }
}
