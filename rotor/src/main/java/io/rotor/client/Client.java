package io.rotor.client;

import com.google.protobuf.Message;
import io.rotor.channel.ResolvedChannel;
import io.rotor.channel.SubscribeOptions;
import io.rotor.core.ClientError;
import io.rotor.core.ClientInfo;
import io.rotor.core.Disconnect;
import io.rotor.core.Unsubscribe;
import io.rotor.hub.Hub;
import io.rotor.limits.CommandRateLimiter;
import io.rotor.limits.TokenBucket;
import io.rotor.node.Connection;
import io.rotor.node.Node;
import io.rotor.protocol.Command;
import io.rotor.protocol.CommandType;
import io.rotor.protocol.FrameKey;
import io.rotor.protocol.PreparedPush;
import io.rotor.protocol.Replies;
import io.rotor.protocol.Wire;
import io.rotor.protocol.pb.Push;
import io.rotor.protocol.pb.Reply;
import io.rotor.proxy.ProxyClient;
import io.rotor.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol state machine, independent of the transport: the inbox and dispatch of
 * typed commands, the connection's timers (stale, ping/pong, expiry) and its identity. What it
 * sends goes through its {@link Outbox}; its channels are its {@link Subscriptions}. Everything
 * here runs on the connection's event loop (its Hub's context), so the state needs no locks.
 *
 * <p>Commands of a frame run strictly in order: a command whose handler completes asynchronously
 * (a token check, a history read) holds back the ones after it, so connect always finishes before
 * the subscribes that share its frame.
 */
public final class Client implements Connection, ProxyClient {

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
  /** The connection's wire, fixed for its lifetime; the key of the prepared frames it takes. */
  private final Wire wire;
  private final FrameKey frameKey;
  private final Outbox outbox;
  private final Subscriptions subscriptions;
  /** {@code client.rate_limit.client_command}, or null when off. */
  private final CommandRateLimiter rateLimiter;
  /** {@code client.rate_limit.client_error}: the error replies this connection may still earn. */
  private final TokenBucket errorBudget;

  private State state = State.CONNECTING;
  private boolean unusable;
  private String user = "";
  private byte[] connInfo;
  private long expireAt;
  /** {@code meta} of the token or the connect/refresh proxy: server-side only, for proxies; never sent to clients. */
  private byte[] meta;
  private ClientInfo info;
  /** The connect command's {@code headers} (headers emulation), forwarded to proxies as configured. */
  private Map<String, String> emulatedHeaders = Map.of();

  private final ArrayDeque<Command> inbox = new ArrayDeque<>();
  private boolean busy;
  private final List<Runnable> afterReply = new ArrayList<>(2);

  private long staleTimer = -1;
  private long pingTimer = -1;
  private long pongTimer = -1;
  private long expireTimer = -1;
  private boolean awaitingPong;
  private long pingSentAt;

  public Client(Node node, Hub hub, Transport transport) {
    this.node = node;
    this.hub = hub;
    this.transport = transport;
    this.wire = transport.wire();
    this.frameKey = FrameKey.of(wire);
    this.outbox = new Outbox(transport, hub, node.options().getClient().getQueueMaxSize(), node.metrics(),
        this::close, id);
    this.subscriptions = new Subscriptions(this, node, hub);
    node.metrics().transportConnect(transport.name());
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

  // ---- identity ---------------------------------------------------------------------------

  @Override
  public String id() {
    return id;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public Context context() {
    return hub.context();
  }

  public Transport transport() {
    return transport;
  }

  @Override
  public String transportName() {
    return transport.name();
  }

  @Override
  public String protocol() {
    return wire.protocol();
  }

  /** The connection's wire (how recovered publications of a delta subscription are shaped). */
  Wire wire() {
    return wire;
  }

  @Override
  public MultiMap requestHeaders() {
    return transport.requestHeaders();
  }

  @Override
  public Map<String, String> emulatedHeaders() {
    return emulatedHeaders;
  }

  Node node() {
    return node;
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  public boolean connected() {
    return state == State.CONNECTED;
  }

  boolean closed() {
    return state == State.CLOSED;
  }

  public boolean subscribed(String channel) {
    return subscriptions.contains(channel);
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

  void setEmulatedHeaders(Map<String, String> headers) {
    this.emulatedHeaders = headers;
  }

  void setMeta(byte[] meta) {
    this.meta = meta;
  }

  @Override
  public byte[] meta() {
    return meta;
  }

  // ---- inbound ----------------------------------------------------------------------------

  /** One frame from the peer, decoded by the connection's wire. */
  public void onFrame(byte[] frame) {
    if (state == State.CLOSED) {
      return;
    }
    List<Command> commands;
    try {
      commands = wire.decode(frame);
    } catch (Disconnect.Exception e) {
      close(e.disconnect());
      return;
    }
    node.metrics().received(transport.name(), commands.size(), frame.length);
    accept(commands);
  }

  /** Commands the transport decoded itself, before the stream opened (the connect of a stream). */
  public void onCommands(List<Command> commands) {
    if (state == State.CLOSED) {
      return;
    }
    node.metrics().received(transport.name(), commands.size(), 0);
    accept(commands);
  }

  private void accept(List<Command> commands) {
    inbox.addAll(commands);
    drain();
  }

  private void drain() {
    while (!busy && !inbox.isEmpty() && state != State.CLOSED) {
      Command cmd = inbox.poll();
      long start = System.nanoTime();
      Future<? extends Message> result = safeDispatch(cmd);
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
      node.metrics().command(cmd, System.nanoTime() - start);
    }
  }

  private Future<? extends Message> safeDispatch(Command cmd) {
    try {
      return dispatch(cmd);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<? extends Message> dispatch(Command cmd) {
    if (unusable) {
      return Future.failedFuture(Disconnect.BAD_REQUEST.asException());
    }
    if (cmd.isPong()) {
      if (state != State.CONNECTED || !awaitingPong) {
        return Future.failedFuture(Disconnect.BAD_REQUEST.asException());
      }
      awaitingPong = false;
      node.metrics().pingPong(transport.name(), System.nanoTime() - pingSentAt);
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

  private void complete(Command cmd, Future<? extends Message> result) {
    if (state == State.CLOSED) {
      afterReply.clear();
      return;
    }
    if (result.succeeded()) {
      if (result.result() != null && cmd.type() != null) {
        reply(Replies.result(cmd.id(), cmd.type(), result.result()));
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
    node.metrics().replyError(cmd, error.code());
    if (wire.unidirectional()) {
      // A unidirectional client cannot read an error reply: its connect failure ends the stream.
      close(error.code() == ClientError.TOKEN_EXPIRED.code() ? Disconnect.EXPIRED
          : error.code() == ClientError.INTERNAL.code() ? Disconnect.SERVER_ERROR : Disconnect.BAD_REQUEST);
      return;
    }
    reply(Replies.error(cmd.id(), error));
    // Temporary errors (rate limit, server trouble) are not the client's fault.
    if (errorBudget != null && !error.temporary() && !errorBudget.tryTake()) {
      close(Disconnect.TOO_MANY_ERRORS);
      return;
    }
    if (cmd.type() == CommandType.CONNECT) {
      // A failed connect makes the connection unusable: the rest of the frame is dropped and any
      // further command closes it; the stale timer also closes it.
      unusable = true;
      inbox.clear();
    }
  }

  /** Runs after the reply of the current command was queued (joins, activating subscriptions). */
  void afterReply(Runnable action) {
    afterReply.add(action);
  }

  // ---- outbound ---------------------------------------------------------------------------

  private void reply(Reply reply) {
    try {
      outbox.enqueue(wire.reply(reply));
    } catch (Disconnect.Exception e) {
      // A payload this wire cannot carry (binary data for a JSON client).
      close(e.disconnect());
    }
  }

  /** Queues a push of this connection alone (an unsubscribe, a recovered publication). */
  void push(Push push) {
    try {
      outbox.enqueue(wire.push(push));
    } catch (Disconnect.Exception e) {
      close(e.disconnect());
    }
  }

  /** Queues this connection's frame of a fan-out (encoded once for all connections of its kind). */
  void deliver(PreparedPush push) {
    deliver(push, frameKey);
  }

  /** Queues this connection's frame of a publication in the payload form its subscription takes. */
  void deliver(PreparedPush push, FrameKey.Payload payload) {
    deliver(push, payload == FrameKey.Payload.FULL ? frameKey : FrameKey.of(wire, payload));
  }

  private void deliver(PreparedPush push, FrameKey key) {
    if (state == State.CLOSED) {
      return;
    }
    try {
      outbox.enqueue(push.frame(key));
    } catch (Disconnect.Exception e) {
      close(e.disconnect());
    }
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
    node.registerConnection(this);
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
    outbox.enqueue(wire.ping());
    long pongTimeout = node.options().getClient().getPongTimeout().toMillis();
    if (pongTimeout > 0 && !awaitingPong && !wire.unidirectional()) {
      awaitingPong = true;
      pingSentAt = System.nanoTime();
      pongTimer = node.vertx().setTimer(pongTimeout, t -> {
        pongTimer = -1;
        if (awaitingPong) {
          close(Disconnect.NO_PONG);
        }
      });
    }
  }

  /** A new connection expiry (unix seconds, 0 never), from a refresh. */
  void setExpireAt(long expireAt) {
    this.expireAt = expireAt;
    scheduleExpiryCheck();
  }

  private void scheduleExpiryCheck() {
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
  @Override
  public void close(Disconnect disconnect) {
    if (state == State.CLOSED) {
      return;
    }
    if (disconnect != Disconnect.SLOW) {
      outbox.flush();
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
    outbox.close();
    inbox.clear();
    cancelTimer(staleTimer);
    cancelTimer(pingTimer);
    cancelTimer(pongTimer);
    cancelTimer(expireTimer);
    subscriptions.removeAll();
    if (wasConnected) {
      node.unregisterConnection(this);
    }
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      node.vertx().cancelTimer(id);
    }
  }

  // ---- server-side actions (server API); called on this client's context ------------------

  @Override
  public void serverUnsubscribe(String channel, Unsubscribe why) {
    subscriptions.serverUnsubscribe(channel, why);
  }

  @Override
  public Future<Void> serverSubscribe(ResolvedChannel channel, SubscribeOptions options, long expireAt) {
    if (state != State.CONNECTED) {
      return Future.succeededFuture();
    }
    return subscriptions.serverSubscribe(channel, options, expireAt);
  }

  @Override
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
      setExpireAt(newExpireAt);
    }
  }

  @Override
  public String toString() {
    return "client " + id;
  }
}
