package io.rotor.node;

import io.rotor.auth.TokenVerifier;
import io.rotor.broker.Broker;
import io.rotor.broker.BrokerEventHandler;
import io.rotor.broker.ClientInfo;
import io.rotor.broker.Publication;
import io.rotor.broker.StreamPosition;
import io.rotor.channel.ChannelResolver;
import io.rotor.channel.ResolvedChannel;
import io.rotor.client.Client;
import io.rotor.config.RotorOptions;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.history.HistorySequencer;
import io.rotor.hub.Hub;
import io.rotor.limits.ConnectionLimiter;
import io.rotor.presence.PresenceStore;
import io.rotor.protocol.ClientError;
import io.rotor.protocol.Disconnect;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
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

  private final String id = UUID.randomUUID().toString();
  private final Vertx vertx;
  private final RotorOptions options;
  private final ChannelResolver resolver;
  private final TokenVerifier tokenVerifier;
  private final TokenVerifier subscriptionTokenVerifier;
  private final ConnectionLimiter connectionLimiter;
  private final Broker broker;
  private final HistorySequencer sequencer;
  private final PresenceStore presence;
  private final long startedAt = System.currentTimeMillis();

  private final List<Hub> hubs = new CopyOnWriteArrayList<>();
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Map<String, Set<Client>> users = new ConcurrentHashMap<>();
  /** Local subscriber count per channel; 0 to 1 and 1 to 0 tell the broker. */
  private final Map<String, Integer> channels = new ConcurrentHashMap<>();

  public Node(Vertx vertx, RotorOptions options, Broker broker, HistorySequencer sequencer, PresenceStore presence) {
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
    this.presence = presence;
    broker.setEventHandler(this);
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
    if (channel.historyEnabled()) {
      return sequencer.publish(channel.name(), publication, channel.history());
    }
    return broker.publish(channel.name(), publication).map(StreamPosition.EMPTY);
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
    return sequencer.history(channel.name(), filter, channel.history());
  }

  public Future<Void> removeHistory(ResolvedChannel channel) {
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
    byte[] frame = null;
    for (Hub hub : hubs) {
      if (hub.hasChannel(channel)) {
        if (frame == null) {
          frame = JsonCodec.publicationPush(channel, publication);
        }
        byte[] f = frame;
        hub.context().runOnContext(v -> hub.deliver(channel, publication, f));
      }
    }
  }

  @Override
  public void onJoin(String channel, ClientInfo info) {
    joinLeave(channel, "join", info);
  }

  @Override
  public void onLeave(String channel, ClientInfo info) {
    joinLeave(channel, "leave", info);
  }

  private void joinLeave(String channel, String kind, ClientInfo info) {
    byte[] frame = null;
    for (Hub hub : hubs) {
      if (hub.hasChannel(channel)) {
        if (frame == null) {
          frame = JsonCodec.joinLeavePush(channel, kind, info);
        }
        byte[] f = frame;
        hub.context().runOnContext(v -> hub.deliverJoinLeave(channel, f));
      }
    }
  }

  // ---- subscriptions and clients ----------------------------------------------------------

  public void addSubscription(Hub hub, String channel, Client client) {
    hub.addSubscriber(channel, client);
    if (channels.merge(channel, 1, Integer::sum) == 1) {
      broker.subscribe(channel);
    }
  }

  public void removeSubscription(Hub hub, String channel, Client client) {
    hub.removeSubscriber(channel, client);
    Integer left = channels.computeIfPresent(channel, (c, n) -> n <= 1 ? null : n - 1);
    if (left == null) {
      broker.unsubscribe(channel);
    }
  }

  public void registerClient(Client client) {
    clients.put(client.id(), client);
    users.computeIfAbsent(client.user(), u -> ConcurrentHashMap.newKeySet()).add(client);
  }

  public void unregisterClient(Client client) {
    clients.remove(client.id());
    users.computeIfPresent(client.user(), (u, set) -> {
      set.remove(client);
      return set.isEmpty() ? null : set;
    });
  }

  public int userConnectionCount(String user) {
    Set<Client> set = users.get(user);
    return set == null ? 0 : set.size();
  }

  public Collection<Client> clientsOf(String user) {
    Set<Client> set = users.get(user);
    return set == null ? List.of() : new ArrayList<>(set);
  }

  public Client client(String id) {
    return clients.get(id);
  }

  /** Subscriber counts per channel on this node. */
  public Map<String, Integer> channelCounts() {
    return Map.copyOf(channels);
  }

  public int numClients() {
    return clients.size();
  }

  public int numUsers() {
    return users.size();
  }

  public int numChannels() {
    return channels.size();
  }

  public int numSubscriptions() {
    int n = 0;
    for (int c : channels.values()) {
      n += c;
    }
    return n;
  }

  /** Closes every client with 3001 so they reconnect elsewhere. */
  public Future<Void> shutdown() {
    List<Future<Void>> closed = new ArrayList<>();
    for (Client c : clients.values()) {
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
