package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.channel.ResolvedChannel;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.hub.Hub;
import io.rotor.limits.CommandRateLimiter;
import io.rotor.limits.TokenBucket;
import io.rotor.node.Node;
import io.rotor.core.ClientError;
import io.rotor.protocol.Codec;
import io.rotor.protocol.Command;
import io.rotor.protocol.CommandType;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;
import io.rotor.core.Unsubscribe;
import io.rotor.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol state machine, independent of the transport. Everything here runs on
 * the connection's event loop (its Hub's context), so the state needs no locks.
 *
 * <p>Commands of a frame run strictly in order: a command whose handler completes asynchronously
 * (a token check, a history read) holds back the ones after it, so connect always finishes before
 * the subscribes that share its frame.
 *
 * <p>Outgoing messages are queued and leave once per event-loop turn as one frame; the queue is
 * bounded by {@code client.queue_max_size} bytes, past which the client is disconnected as slow.
 */
public final class Client {

  private static final Logger LOG = LoggerFactory.getLogger(Client.class);
  private static final Map<CommandType, CommandHandler> HANDLERS = new EnumMap<>(CommandType.class);

  static {
    HANDLERS.put(CommandType.CONNECT, new ConnectHandler());
    HANDLERS.put(CommandType.SUBSCRIBE, new SubscribeHandler());
    HANDLERS.put(CommandType.UNSUBSCRIBE, new UnsubscribeHandler());
    HANDLERS.put(CommandType.PUBLISH, new PublishHandler());
    HANDLERS.put(CommandType.PRESENCE, new PresenceHandler());
    HANDLERS.put(CommandType.PRESENCE_STATS, new PresenceStatsHandler());
    HANDLERS.put(CommandType.HISTORY, new HistoryHandler());
    HANDLERS.put(CommandType.SEND, (c, cmd) -> Future.failedFuture(Disconnect.NOT_AVAILABLE.asException()));
    HANDLERS.put(CommandType.RPC, new RpcHandler());
    HANDLERS.put(CommandType.REFRESH, new RefreshHandler());
    HANDLERS.put(CommandType.SUB_REFRESH, new SubRefreshHandler());
  }

  private enum State { CONNECTING, CONNECTED, CLOSED }

  private final String id = UUID.randomUUID().toString();
  private final Node node;
  private final Hub hub;
  private final Transport transport;
  /** The connection's encoding, fixed for its lifetime. */
  private final Codec codec;
  private final int queueMaxSize;
  /** {@code client.rate_limit.client_command}, or null when off. */
  private final CommandRateLimiter rateLimiter;
  /** {@code client.rate_limit.client_error}: the error replies this connection may still earn. */
  private final TokenBucket errorBudget;

  private State state = State.CONNECTING;
  private boolean unusable;
  String user = "";
  byte[] connInfo;
  long expireAt;
  /** The token's {@code meta}: server-side only, for proxies; never sent to clients. */
  byte[] meta;
  private ClientInfo info;
  /** The connect command's {@code headers} (headers emulation), forwarded to proxies as configured. */
  Map<String, String> emulatedHeaders = Map.of();

  final Map<String, Subscription> subscriptions = new HashMap<>();

  private final ArrayDeque<Command> inbox = new ArrayDeque<>();
  private boolean busy;
  private final List<Runnable> afterReply = new ArrayList<>(2);

  private final ArrayList<byte[]> pending = new ArrayList<>();
  private int pendingBytes;
  private boolean dirty;

  private long staleTimer = -1;
  private long pingTimer = -1;
  private long pongTimer = -1;
  private long expireTimer = -1;
  private boolean awaitingPong;

  public Client(Node node, Hub hub, Transport transport) {
    this.node = node;
    this.hub = hub;
    this.transport = transport;
    this.codec = transport.codec();
    this.queueMaxSize = node.options().getClient().getQueueMaxSize();
    var rate = node.options().getClient().getRateLimit().getClientCommand();
    this.rateLimiter = rate.isEnabled() ? new CommandRateLimiter(rate.getRate(), rate.getInterval()) : null;
    var errors = node.options().getClient().getRateLimit().getClientError();
    this.errorBudget = errors.isEnabled() ? new TokenBucket(errors.getRate(), errors.getInterval().toNanos()) : null;
  }

  /** Starts the stale timer: a connection that does not connect in time is closed with 3502. */
  public void start() {
    long delay = node.options().getClient().getStaleCloseDelay().toMillis();
    if (delay > 0) {
      staleTimer = node.vertx().setTimer(delay, t -> {
        staleTimer = -1;
        if (state == State.CONNECTING) {
          close(Disconnect.STALE);
        }
      });
    }
  }

  public String id() {
    return id;
  }

  public String user() {
    return user;
  }

  public Context context() {
    return hub.context();
  }

  public Transport transport() {
    return transport;
  }

  Node node() {
    return node;
  }

  public boolean connected() {
    return state == State.CONNECTED;
  }

  public Map<String, String> emulatedHeaders() {
    return emulatedHeaders;
  }

  public boolean subscribed(String channel) {
    return subscriptions.containsKey(channel);
  }

  public int numSubscriptions() {
    return subscriptions.size();
  }

  ClientInfo info() {
    if (info == null) {
      info = new ClientInfo(user, id, connInfo, null);
    }
    return info;
  }

  void setConnInfo(byte[] connInfo) {
    this.connInfo = connInfo;
    this.info = null;
  }

  // ---- inbound ----------------------------------------------------------------------------

  /** One JSON text frame from the peer. */
  public void onFrame(String frame) {
    onFrame(frame, frame.length(), JsonCodec::decodeFrame);
  }

  /** One binary frame from the peer, decoded by the connection's codec. */
  public void onFrame(byte[] frame) {
    onFrame(frame, frame.length, codec::decodeFrame);
  }

  private <F> void onFrame(F frame, int length, java.util.function.Function<F, List<Command>> decoder) {
    if (state == State.CLOSED) {
      return;
    }
    List<Command> commands;
    try {
      commands = decoder.apply(frame);
    } catch (Disconnect.Exception e) {
      close(e.disconnect());
      return;
    }
    node.metrics().received(commands.size(), length);
    inbox.addAll(commands);
    drain();
  }

  private void drain() {
    while (!busy && !inbox.isEmpty() && state != State.CLOSED) {
      Command cmd = inbox.poll();
      long start = System.nanoTime();
      Future<JsonNode> result = safeDispatch(cmd);
      if (result.isComplete()) {
        timed(cmd, start);
        complete(cmd, result);
      } else {
        busy = true;
        result.onComplete(ar -> {
          busy = false;
          timed(cmd, start);
          complete(cmd, result);
          drain();
        });
      }
    }
  }

  private void timed(Command cmd, long start) {
    if (cmd.type() != null) {
      node.metrics().command(cmd.type().key(), System.nanoTime() - start);
    }
  }

  private Future<JsonNode> safeDispatch(Command cmd) {
    try {
      return dispatch(cmd);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonNode> dispatch(Command cmd) {
    if (unusable) {
      return Future.failedFuture(Disconnect.BAD_REQUEST.asException());
    }
    if (cmd.isPong()) {
      if (state != State.CONNECTED || !awaitingPong) {
        return Future.failedFuture(Disconnect.BAD_REQUEST.asException());
      }
      awaitingPong = false;
      cancelTimer(pongTimer);
      pongTimer = -1;
      return Future.succeededFuture();
    }
    if (rateLimiter != null) {
      switch (rateLimiter.check()) {
        case REJECT:
          return Future.failedFuture(ClientError.TOO_MANY_REQUESTS.asException());
        case DISCONNECT:
          return Future.failedFuture(Disconnect.TOO_MANY_REQUESTS.asException());
        default:
          break;
      }
    }
    boolean connect = cmd.type() == CommandType.CONNECT;
    if (connect == (state == State.CONNECTED)) {
      // A command before connect, or a second connect.
      return Future.failedFuture(Disconnect.BAD_REQUEST.asException());
    }
    return HANDLERS.get(cmd.type()).handle(this, cmd);
  }

  private void complete(Command cmd, Future<JsonNode> result) {
    if (state == State.CLOSED) {
      afterReply.clear();
      return;
    }
    if (result.succeeded()) {
      if (result.result() != null && cmd.type() != null) {
        enqueue(codec.reply(cmd.id(), cmd.type().key(), result.result()));
      }
      List<Runnable> actions = new ArrayList<>(afterReply);
      afterReply.clear();
      actions.forEach(Runnable::run);
      return;
    }
    afterReply.clear();
    Throwable cause = result.cause();
    if (cause instanceof Disconnect.Exception d) {
      close(d.disconnect());
      return;
    }
    ClientError error;
    if (cause instanceof ClientError.Exception e) {
      error = e.error();
    } else {
      LOG.warn("client {} user {} transport {}: command {} failed", id, user, transport.name(), cmd.type(), cause);
      error = ClientError.INTERNAL;
    }
    enqueue(codec.error(cmd.id(), error));
    // Temporary errors (rate limit, server trouble) are not the client's fault.
    if (errorBudget != null && !error.temporary() && !errorBudget.tryTake()) {
      close(Disconnect.TOO_MANY_ERRORS);
      return;
    }
    if (cmd.type() == CommandType.CONNECT) {
      // A failed connect makes the connection unusable: the rest of the frame is dropped and any
      // further command closes it; the stale timer closes it otherwise.
      unusable = true;
      inbox.clear();
    }
  }

  /** Runs after the reply of the current command was queued (joins, activating subscriptions). */
  void afterReply(Runnable action) {
    afterReply.add(action);
  }

  // ---- connection lifecycle ---------------------------------------------------------------

  /** Called by the connect handler once credentials are accepted. */
  void connected(String user, byte[] connInfo, long expireAt) {
    this.user = user;
    setConnInfo(connInfo);
    this.expireAt = expireAt;
    this.state = State.CONNECTED;
    cancelTimer(staleTimer);
    staleTimer = -1;
    node.registerClient(this);
    schedulePings();
    scheduleExpiryCheck();
  }

  private void schedulePings() {
    long interval = node.options().getClient().getPingInterval().toMillis();
    if (interval <= 0) {
      return;
    }
    // The first ping is randomized so clients that connected together do not ping together.
    long first = interval / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, interval / 2));
    pingTimer = node.vertx().setPeriodic(first, interval, t -> sendPing());
  }

  private void sendPing() {
    if (state != State.CONNECTED) {
      return;
    }
    enqueue(codec.ping());
    long pongTimeout = node.options().getClient().getPongTimeout().toMillis();
    if (pongTimeout > 0 && !awaitingPong && !transport.unidirectional()) {
      awaitingPong = true;
      pongTimer = node.vertx().setTimer(pongTimeout, t -> {
        pongTimer = -1;
        if (awaitingPong) {
          close(Disconnect.NO_PONG);
        }
      });
    }
  }

  void scheduleExpiryCheck() {
    cancelTimer(expireTimer);
    expireTimer = -1;
    if (expireAt <= 0) {
      return;
    }
    boolean serverSideRefresh = node.proxies().refresh() != null;
    long delay = expireAt * 1000 - System.currentTimeMillis()
        + (serverSideRefresh ? 0 : node.options().getClient().getExpiredCloseDelay().toMillis());
    expireTimer = node.vertx().setTimer(Math.max(1, delay), t -> {
      expireTimer = -1;
      if (expireAt > 0 && expireAt * 1000 <= System.currentTimeMillis()) {
        if (serverSideRefresh) {
          ProxyCalls.refresh(this);
          return;
        }
        close(Disconnect.EXPIRED);
      } else {
        scheduleExpiryCheck();
      }
    });
  }

  /** Closes the connection: flushes what is queued, tells the peer why, releases everything. */
  public void close(Disconnect disconnect) {
    if (state == State.CLOSED) {
      return;
    }
    if (disconnect != Disconnect.SLOW) {
      flush();
    }
    node.metrics().disconnected(disconnect.code());
    if (LOG.isDebugEnabled()) {
      LOG.debug("client {} user {} transport {}: disconnect {} {}", id, user, transport.name(), disconnect.code(),
          disconnect.reason());
    }
    release();
    transport.close(disconnect);
  }

  /** The peer went away. */
  public void onTransportClosed() {
    if (state != State.CLOSED) {
      release();
    }
  }

  private void release() {
    boolean wasConnected = state == State.CONNECTED;
    state = State.CLOSED;
    pending.clear();
    pendingBytes = 0;
    inbox.clear();
    cancelTimer(staleTimer);
    cancelTimer(pingTimer);
    cancelTimer(pongTimer);
    cancelTimer(expireTimer);
    for (Subscription sub : new ArrayList<>(subscriptions.values())) {
      removeSubscription(sub);
    }
    if (wasConnected) {
      node.unregisterClient(this);
    }
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      node.vertx().cancelTimer(id);
    }
  }

  // ---- outbound ---------------------------------------------------------------------------

  /** Queues one encoded message; it leaves with everything else queued in this event-loop turn. */
  void enqueue(byte[] message) {
    if (state == State.CLOSED) {
      return;
    }
    pending.add(message);
    pendingBytes += message.length;
    if (pendingBytes > queueMaxSize && !transport.writeQueueFull()) {
      // A burst filled the queue within one event-loop turn, but the peer keeps up: hand it over now
      // rather than waiting for the end-of-turn flush. Only a backed-up transport makes a client slow.
      flush();
    }
    if (pendingBytes > queueMaxSize) {
      close(Disconnect.SLOW);
      return;
    }
    if (!dirty) {
      dirty = true;
      hub.scheduleFlush(this);
    }
  }

  /** Writes the queued messages as one frame. Called by the Hub at the end of a turn. */
  public void flush() {
    dirty = false;
    if (pending.isEmpty() || state == State.CLOSED && pendingBytes == 0) {
      return;
    }
    if (transport.writeQueueFull()) {
      // The peer reads slower than we write: keep queueing (bounded above) until it drains.
      transport.onDrain(() -> {
        if (!dirty && !pending.isEmpty()) {
          dirty = true;
          hub.scheduleFlush(this);
        }
      });
      return;
    }
    byte[] frame = codec.frame(pending, pendingBytes);
    pending.clear();
    pendingBytes = 0;
    node.metrics().sent(frame.length);
    transport.write(frame);
  }

  // ---- fan-out ----------------------------------------------------------------------------

  /** A live publication from the Hub. */
  public void deliverPublication(String channel, Publication pub, byte[] frame) {
    Subscription sub = subscriptions.get(channel);
    if (sub == null || state == State.CLOSED) {
      return;
    }
    if (sub.establishing()) {
      if (sub.options.positioned()) {
        sub.buffer(pub);
      }
      return;
    }
    if (sub.options.positioned() && !advancePosition(sub, pub)) {
      return;
    }
    enqueue(codec.publicationPush(channel, pub, frame));
  }

  public void deliverJoinLeave(String channel, byte[] frame) {
    Subscription sub = subscriptions.get(channel);
    if (sub != null && !sub.establishing() && sub.options.pushJoinLeave()) {
      enqueue(codec.joinLeavePush(frame));
    }
  }

  /**
   * Checks a live publication against the subscription's position: older ones are dropped as
   * duplicates, a gap or another epoch means the client's state is insufficient.
   */
  private boolean advancePosition(Subscription sub, Publication pub) {
    if (pub.offset() == 0) {
      return true;
    }
    if (!sub.epoch.isEmpty() && pub.epoch() != null && !sub.epoch.equals(pub.epoch())) {
      insufficientState(sub);
      return false;
    }
    long next = sub.offset + 1;
    if (pub.offset() < next) {
      return false;
    }
    if (pub.offset() > next) {
      insufficientState(sub);
      return false;
    }
    sub.offset = pub.offset();
    if (sub.epoch.isEmpty() && pub.epoch() != null) {
      sub.epoch = pub.epoch();
    }
    return true;
  }

  /**
   * The periodic position check: a positioned subscription behind the stream top (read a grace
   * period ago) or on another epoch missed a publication that no later one revealed.
   */
  public void checkPosition(String channel, StreamPosition top) {
    Subscription sub = subscriptions.get(channel);
    if (sub == null || state == State.CLOSED || sub.establishing() || !sub.options.positioned()) {
      return;
    }
    if (!top.epoch().equals(sub.epoch) || sub.offset < top.offset()) {
      insufficientState(sub);
    }
  }

  private void insufficientState(Subscription sub) {
    if (sub.options.serverSide()) {
      close(Disconnect.INSUFFICIENT_STATE);
    } else {
      serverUnsubscribe(sub.name(), Unsubscribe.INSUFFICIENT_STATE);
    }
  }

  // ---- subscriptions ----------------------------------------------------------------------

  /**
   * Establishes a subscription: joins the Hub (buffering live publications when positioned), reads
   * the stream position or recovers, and merges. The caller sends the result and then calls
   * {@link #activate}.
   */
  Future<SubscribeOutcome> subscribe(ResolvedChannel channel, SubscribeOptions options) {
    Subscription sub = new Subscription(channel, options, info().withChanInfo(options.chanInfo()));
    subscriptions.put(channel.name(), sub);
    // In a cluster, the position is read only once publications of the channel reach this node.
    Future<Void> registered = node.addSubscription(hub, channel.name(), this);
    if (!options.positioned()) {
      return registered.map(v -> outcome(sub, 0, List.of(), false));
    }
    StreamPosition since = options.recoverSince();
    HistoryFilter filter = since == null ? HistoryFilter.topOnly()
        : new HistoryFilter(since, node.options().getClient().getRecoveryMaxPublicationLimit(), false);
    return registered.compose(v -> node.readHistory(channel, filter)).compose(history -> {
      if (subscriptions.get(channel.name()) != sub || state == State.CLOSED) {
        return Future.failedFuture(ClientError.INTERNAL.asException());
      }
      return Future.succeededFuture(positioned(sub, history));
    }).onFailure(e -> {
      if (subscriptions.get(channel.name()) == sub) {
        removeSubscription(sub);
      }
    });
  }

  private SubscribeOutcome positioned(Subscription sub, HistoryResult history) {
    StreamPosition top = history.top();
    StreamPosition since = sub.options.recoverSince();
    sub.epoch = top.epoch();
    if (since != null) {
      boolean epochOk = since.epoch().isEmpty() || since.epoch().equals(top.epoch());
      List<Publication> pubs = history.publications();
      boolean recovered = epochOk && (pubs.isEmpty()
          ? top.offset() == since.offset()
          : pubs.get(0).offset() == since.offset() + 1 && pubs.get(pubs.size() - 1).offset() == top.offset());
      if (recovered) {
        // The reply carries the client's own offset; the client advances through the publications.
        sub.offset = since.offset();
        List<Publication> merged = merge(sub, pubs);
        node.metrics().recovery(true, merged.size());
        return outcome(sub, since.offset(), merged, true);
      }
      node.metrics().recovery(false, 0);
      if (sub.options.rejectUnrecovered()) {
        throw ClientError.UNRECOVERABLE_POSITION.asException();
      }
    }
    sub.offset = top.offset();
    return outcome(sub, top.offset(), List.of(), false);
  }

  /**
   * Recovered publications followed by those buffered while history was read, de-duplicated by
   * offset; a remaining gap means the state cannot be made whole (3010). Advances the position.
   */
  private List<Publication> merge(Subscription sub, List<Publication> recovered) {
    List<Publication> out = new ArrayList<>(recovered.size() + sub.buffered().size());
    long last = sub.offset;
    for (Publication p : recovered) {
      if (p.offset() > last) {
        out.add(p);
        last = p.offset();
      }
    }
    for (Publication p : sub.buffered()) {
      if (p.offset() <= last) {
        continue;
      }
      if (p.offset() != last + 1) {
        throw Disconnect.INSUFFICIENT_STATE.asException();
      }
      out.add(p);
      last = p.offset();
    }
    sub.buffered().clear();
    sub.offset = last;
    return out;
  }

  private SubscribeOutcome outcome(Subscription sub, long replyOffset, List<Publication> publications, boolean recovered) {
    ObjectNode r = JsonCodec.object();
    SubscribeOptions o = sub.options;
    if (o.recoverable()) {
      r.put("recoverable", true);
    }
    if (o.positioned()) {
      r.put("epoch", sub.epoch);
      r.put("offset", replyOffset);
      r.put("positioned", true);
    }
    if (recovered) {
      r.put("recovered", true);
    }
    if (o.recoverSince() != null) {
      r.put("was_recovering", true);
    }
    if (o.data() != null) {
      r.putRawValue("data", JsonCodec.raw(o.data()));
    }
    return new SubscribeOutcome(sub.name(), r, publications, recovered);
  }

  /**
   * After the subscribe reply went out: live delivery starts, the publications buffered meanwhile
   * follow in order, presence is added and the join published.
   */
  void activate(String channel) {
    Subscription sub = subscriptions.get(channel);
    if (sub == null || !sub.establishing()) {
      return;
    }
    List<Publication> buffered = sub.stopBuffering();
    for (Publication p : buffered) {
      if (subscriptions.get(channel) != sub) {
        return;
      }
      if (advancePosition(sub, p)) {
        enqueue(codec.publicationPush(channel, p, null));
      }
    }
    if (sub.channel.options().isPresence()) {
      node.presence().add(channel, sub.info);
    }
    if (sub.channel.options().isJoinLeave()) {
      node.publishJoin(channel, sub.info);
    }
  }

  /**
   * Sets when a subscription's token expires (0: never). Still expired after
   * {@code client.expired_sub_close_delay}, a client-side subscription is ended with an
   * unsubscribe push 2501 (the SDK resubscribes with a fresh token), a server-side one closes the
   * connection with 3006.
   */
  void setSubscriptionExpiry(Subscription sub, long expireAt) {
    cancelTimer(sub.expiryTimer);
    sub.expiryTimer = -1;
    sub.expireAt = expireAt;
    if (expireAt <= 0 || state == State.CLOSED) {
      return;
    }
    long delay = expireAt * 1000 - System.currentTimeMillis()
        + node.options().getClient().getExpiredSubCloseDelay().toMillis();
    sub.expiryTimer = node.vertx().setTimer(Math.max(1, delay), t -> {
      sub.expiryTimer = -1;
      if (subscriptions.get(sub.name()) != sub || sub.expireAt <= 0) {
        return;
      }
      if (sub.expireAt * 1000 > System.currentTimeMillis()) {
        setSubscriptionExpiry(sub, sub.expireAt);
      } else if (!ProxyCalls.refreshAtExpiry(this, sub)) {
        expireSubscription(sub);
      }
    });
  }

  /** Ends an expired subscription: 3006 for a server-side one, else an unsubscribe push 2501. */
  void expireSubscription(Subscription sub) {
    if (sub.options.serverSide()) {
      close(Disconnect.SUBSCRIPTION_EXPIRED);
    } else {
      serverUnsubscribe(sub.name(), Unsubscribe.EXPIRED);
    }
  }

  /** Leaves a channel locally: Hub, presence, leave message. */
  void removeSubscription(Subscription sub) {
    subscriptions.remove(sub.name());
    cancelTimer(sub.expiryTimer);
    sub.expiryTimer = -1;
    node.removeSubscription(hub, sub.name(), this);
    if (!sub.establishing()) {
      if (sub.channel.options().isPresence()) {
        node.presence().remove(sub.name(), id);
      }
      if (sub.channel.options().isJoinLeave()) {
        node.publishLeave(sub.name(), sub.info);
      }
    }
  }

  boolean unsubscribe(String channel) {
    Subscription sub = subscriptions.get(channel);
    if (sub == null) {
      return false;
    }
    removeSubscription(sub);
    return true;
  }

  // ---- server-side actions (server API); called on this client's context ------------------

  /** Unsubscribes and tells the client with an {@code unsubscribe} push. */
  public void serverUnsubscribe(String channel, Unsubscribe why) {
    if (unsubscribe(channel)) {
      ObjectNode body = JsonCodec.object().put("code", why.code()).put("reason", why.reason());
      enqueue(codec.push(channel, "unsubscribe", body));
    }
  }

  /** Subscribes the client on the server's initiative and announces it with a {@code subscribe} push. */
  public Future<Void> serverSubscribe(ResolvedChannel channel, SubscribeOptions options) {
    if (state != State.CONNECTED) {
      return Future.succeededFuture();
    }
    if (subscriptions.containsKey(channel.name())) {
      return Future.succeededFuture();
    }
    if (subscriptions.size() >= node.options().getClient().getChannelLimit()) {
      close(Disconnect.CHANNEL_LIMIT);
      return Future.succeededFuture();
    }
    return subscribe(channel, options).map(outcome -> {
      ObjectNode push = outcome.result().deepCopy();
      push.remove("was_recovering");
      push.remove("recovered");
      enqueue(codec.push(channel.name(), "subscribe", push));
      for (Publication p : outcome.publications()) {
        enqueue(codec.publicationPush(channel.name(), p, null));
      }
      activate(channel.name());
      return (Void) null;
    }).recover(e -> {
      if (e instanceof Disconnect.Exception d) {
        close(d.disconnect());
      }
      return Future.succeededFuture();
    });
  }

  /** Server API refresh: a new expiry, new info, or expire now. */
  public void serverRefresh(boolean expired, long newExpireAt, byte[] newInfo) {
    if (state != State.CONNECTED) {
      return;
    }
    if (expired) {
      close(Disconnect.EXPIRED);
      return;
    }
    if (newInfo != null) {
      setConnInfo(newInfo);
    }
    if (newExpireAt > 0) {
      expireAt = newExpireAt;
      scheduleExpiryCheck();
    }
  }
}
