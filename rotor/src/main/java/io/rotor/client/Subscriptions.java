package io.rotor.client;

import io.rotor.channel.ResolvedChannel;
import io.rotor.channel.SubscribeOptions;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.core.Unsubscribe;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.rotor.protocol.DeltaPayloads;
import io.rotor.protocol.FrameKey;
import io.rotor.protocol.PreparedPush;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.Subscribe;
import io.rotor.protocol.pb.SubscribeResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's channel subscriptions: establishing them (positioning, recovery, merge with what
 * arrived meanwhile), live delivery with position checks, token expiry, and leaving. This is what
 * the Hub delivers to. Runs on the connection's event loop, like its {@link Client}.
 */
final class Subscriptions implements Hub.Subscriber {

  private final Client client;
  private final Node node;
  private final Hub hub;
  private final Map<String, Subscription> byChannel = new HashMap<>();

  Subscriptions(Client client, Node node, Hub hub) {
    this.client = client;
    this.node = node;
    this.hub = hub;
  }

  boolean contains(String channel) {
    return byChannel.containsKey(channel);
  }

  Subscription get(String channel) {
    return byChannel.get(channel);
  }

  int size() {
    return byChannel.size();
  }

  // ---- establishing -----------------------------------------------------------------------

  /**
   * Establishes a subscription: joins the Hub (buffering live publications when positioned), reads
   * the stream position or recovers, and merges. The caller sends the result and then calls
   * {@link #activate}.
   */
  Future<SubscribeOutcome> subscribe(ResolvedChannel channel, SubscribeOptions options) {
    Subscription sub = new Subscription(channel, options, client.info().withChanInfo(options.chanInfo()));
    sub.recoverSince = recoverSince(channel, options);
    byChannel.put(channel.name(), sub);
    if (options.delta()) {
      node.addDeltaSubscriber(channel.name());
    }
    // In a cluster, the position is read only once publications of the channel reach this node.
    node.metrics().subscriptionOpened(node.clientLabels(client.id()), channel.name());
    Future<Void> registered = node.addSubscription(hub, channel.name(), this);
    if (!options.positioned()) {
      return registered.map(v -> outcome(sub, 0, List.of(), false));
    }
    StreamPosition since = sub.recoverSince;
    int limit = node.options().getClient().getRecoveryMaxPublicationLimit();
    boolean cache = since != null && cacheMode(channel);
    // Cache mode reads the newest publication (the newest that passes the tags filter: a window of them).
    HistoryFilter filter = since == null ? HistoryFilter.topOnly()
        : cache ? new HistoryFilter(null, options.tagsFilter() == null ? 1 : limit, true)
        : new HistoryFilter(since, limit, false);
    String purpose = since == null ? "history_stream_top" : cache ? "history_recover_cache" : "history_recover";
    return registered.compose(v -> node.readHistory(channel, filter, purpose)).compose(history -> {
      if (byChannel.get(channel.name()) != sub || client.closed()) {
        return Future.failedFuture(ClientError.INTERNAL.asException());
      }
      return Future.succeededFuture(cache ? cacheRecovered(sub, history) : positioned(sub, history));
    }).onFailure(e -> {
      if (byChannel.get(channel.name()) == sub) {
        remove(sub);
      }
    });
  }

  private static boolean cacheMode(ResolvedChannel channel) {
    return "cache".equals(channel.options().getForceRecoveryMode());
  }

  /**
   * Where to recover from: the client's position, or (with {@code auto_cache_recover} in cache
   * mode) the empty position on every subscribe, as if the client had asked for the latest value.
   */
  private static StreamPosition recoverSince(ResolvedChannel channel, SubscribeOptions options) {
    if (options.recoverSince() != null || !options.recoverable()) {
      return options.recoverSince();
    }
    return channel.options().isAutoCacheRecover() && cacheMode(channel) ? new StreamPosition(0, "") : null;
  }

  private SubscribeOutcome positioned(Subscription sub, HistoryResult history) {
    StreamPosition top = history.top();
    StreamPosition since = sub.recoverSince;
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
        List<Publication> merged = filtered(sub, merge(sub, pubs));
        node.metrics().recovery(sub.name(), true, merged.size());
        return outcome(sub, since.offset(), merged, true);
      }
      node.metrics().recovery(sub.name(), false, 0);
      if (sub.options.rejectUnrecovered()) {
        throw ClientError.UNRECOVERABLE_POSITION.asException();
      }
    }
    sub.offset = top.offset();
    return outcome(sub, top.offset(), List.of(), false);
  }

  /**
   * Cache recovery ({@code force_recovery_mode: "cache"}, centrifuge's isCacheRecovered): only the
   * latest publication (the latest passing the tags filter) is sent, unless the client already has
   * exactly the stream top; recovered when the latest publication is the top.
   */
  private SubscribeOutcome cacheRecovered(Subscription sub, HistoryResult history) {
    StreamPosition top = history.top();
    StreamPosition since = sub.recoverSince;
    sub.epoch = top.epoch();
    sub.offset = top.offset();
    boolean sameState = since.offset() > 0 && since.offset() == top.offset() && since.epoch().equals(top.epoch());
    List<Publication> newestFirst = history.publications();
    Publication latest = newestFirst.isEmpty() ? null : newestFirst.get(0);
    boolean recovered = latest == null ? sameState : latest.offset() == top.offset();
    if (!recovered) {
      node.metrics().recovery(sub.name(), false, 0);
      if (sub.options.rejectUnrecovered()) {
        throw ClientError.UNRECOVERABLE_POSITION.asException();
      }
      return outcome(sub, top.offset(), List.of(), false);
    }
    List<Publication> out = new ArrayList<>();
    if (!sameState) {
      for (Publication p : newestFirst) {
        if (passes(sub, p)) {
          out.add(p);
          break;
        }
      }
    }
    // What arrived while history was read follows the top; without delta only the last one counts.
    out.addAll(filtered(sub, merge(sub, List.of())));
    if (out.size() > 1 && !sub.options.delta()) {
      out = List.of(out.get(out.size() - 1));
    }
    node.metrics().recovery(sub.name(), true, out.size());
    return outcome(sub, since.offset(), out, true);
  }

  private static boolean passes(Subscription sub, Publication p) {
    return sub.options.tagsFilter() == null || sub.options.tagsFilter().matches(p.tags());
  }

  /** The publications the subscriber's tags filter lets through (all without a filter). */
  private static List<Publication> filtered(Subscription sub, List<Publication> pubs) {
    if (sub.options.tagsFilter() == null) {
      return pubs;
    }
    List<Publication> out = new ArrayList<>(pubs.size());
    for (Publication p : pubs) {
      if (passes(sub, p)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Recovered publications followed by those buffered while history was read, de-duplicated by
   * offset; a remaining gap means the state cannot be made whole (3010). Advances the position.
   */
  static List<Publication> merge(Subscription sub, List<Publication> recovered) {
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

  private SubscribeOutcome outcome(Subscription sub, long replyOffset, List<Publication> publications,
      boolean recovered) {
    SubscribeResult.Builder r = SubscribeResult.newBuilder();
    SubscribeOptions o = sub.options;
    r.setRecoverable(o.recoverable());
    if (o.positioned()) {
      r.setEpoch(sub.epoch).setOffset(replyOffset).setPositioned(true);
    }
    r.setRecovered(recovered);
    r.setWasRecovering(sub.recoverSince != null);
    if (o.data() != null) {
      r.setData(Protos.bytes(o.data()));
    }
    if (o.delta()) {
      r.setDelta(true);
    }
    List<io.rotor.protocol.pb.Publication> pbs;
    if (o.delta()) {
      // The first full, later ones patches against the one before; the client keeps the last as its base.
      pbs = DeltaPayloads.recovered(publications, client.wire());
      if (!publications.isEmpty()) {
        Publication last = publications.get(publications.size() - 1);
        sub.deltaBase = last.offset();
        node.seedDeltaBase(sub.name(), last);
      }
    } else {
      pbs = new ArrayList<>(publications.size());
      for (Publication p : publications) {
        pbs.add(Protos.publication(p));
      }
    }
    return new SubscribeOutcome(sub.name(), r.build(), pbs, recovered);
  }

  /**
   * After the subscribe reply went out: live delivery starts, the publications buffered meanwhile
   * follow in order, presence is added and the join published.
   */
  void activate(String channel) {
    Subscription sub = byChannel.get(channel);
    if (sub == null || !sub.establishing()) {
      return;
    }
    List<Publication> buffered = sub.stopBuffering();
    for (Publication p : buffered) {
      if (byChannel.get(channel) != sub) {
        return;
      }
      if (advancePosition(sub, p) && passes(sub, p)) {
        client.push(publicationPush(sub, p));
      }
    }
    if (sub.channel.options().isPresence()) {
      node.presence().add(channel, sub.info);
    }
    if (sub.channel.options().isJoinLeave()) {
      node.publishJoin(channel, sub.info);
    }
  }

  // ---- live delivery (Hub.Subscriber) -------------------------------------------------------

  @Override
  public void deliverPublication(String channel, Publication pub, PreparedPush push) {
    Subscription sub = byChannel.get(channel);
    if (sub == null || client.closed()) {
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
    if (!passes(sub, pub)) {
      return; // filtered out: the position moved on, the client's delta base did not
    }
    if (!sub.options.delta()) {
      client.deliver(push);
      return;
    }
    boolean patch = push.hasDeltaBase() && pub.offset() > 0 && sub.deltaBase == pub.offset() - 1;
    sub.deltaBase = pub.offset();
    client.deliver(push, patch ? FrameKey.Payload.DELTA : FrameKey.Payload.DELTA_FULL);
  }

  /** A publication push of this subscription alone, in the payload form it takes (full for a delta subscriber). */
  private io.rotor.protocol.pb.Push publicationPush(Subscription sub, Publication p) {
    io.rotor.protocol.pb.Push push = Protos.publicationPush(sub.name(), p);
    if (!sub.options.delta()) {
      return push;
    }
    sub.deltaBase = p.offset() > 0 ? p.offset() : -1;
    return DeltaPayloads.full(push, client.wire());
  }

  @Override
  public void deliverJoinLeave(String channel, PreparedPush push) {
    Subscription sub = byChannel.get(channel);
    if (sub != null && !sub.establishing() && sub.options.pushJoinLeave()) {
      client.deliver(push);
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
  @Override
  public void checkPosition(String channel, StreamPosition top) {
    Subscription sub = byChannel.get(channel);
    if (sub == null || client.closed() || sub.establishing() || !sub.options.positioned()) {
      return;
    }
    if (!top.epoch().equals(sub.epoch) || sub.offset < top.offset()) {
      insufficientState(sub);
    }
  }

  private void insufficientState(Subscription sub) {
    if (sub.options.serverSide()) {
      client.close(Disconnect.INSUFFICIENT_STATE);
    } else {
      serverUnsubscribe(sub.name(), Unsubscribe.INSUFFICIENT_STATE);
    }
  }

  // ---- expiry -----------------------------------------------------------------------------

  /**
   * Sets when a subscription's token expires (0: never). Still expired after
   * {@code client.expired_sub_close_delay}, a client-side subscription is ended with an
   * unsubscribe push 2501 (the SDK resubscribes with a fresh token), a server-side one closes the
   * connection with 3006.
   */
  void setExpiry(Subscription sub, long expireAt) {
    cancelTimer(sub.expiryTimer);
    sub.expiryTimer = -1;
    sub.expireAt = expireAt;
    if (expireAt <= 0 || client.closed()) {
      return;
    }
    long delay = expireAt * 1000 - System.currentTimeMillis()
        + node.options().getClient().getExpiredSubCloseDelay().toMillis();
    sub.expiryTimer = node.vertx().setTimer(Math.max(1, delay), t -> {
      sub.expiryTimer = -1;
      if (byChannel.get(sub.name()) != sub || sub.expireAt <= 0) {
        return;
      }
      if (sub.expireAt * 1000 > System.currentTimeMillis()) {
        setExpiry(sub, sub.expireAt);
      } else if (!ProxyCalls.refreshAtExpiry(client, sub)) {
        expire(sub);
      }
    });
  }

  /** Ends an expired subscription: 3006 for a server-side one, else an unsubscribe push 2501. */
  void expire(Subscription sub) {
    if (sub.options.serverSide()) {
      client.close(Disconnect.SUBSCRIPTION_EXPIRED);
    } else {
      serverUnsubscribe(sub.name(), Unsubscribe.EXPIRED);
    }
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      node.vertx().cancelTimer(id);
    }
  }

  // ---- leaving ----------------------------------------------------------------------------

  /** Leaves a channel locally: Hub, presence, leave message. */
  void remove(Subscription sub) {
    byChannel.remove(sub.name());
    if (sub.options.delta()) {
      node.removeDeltaSubscriber(sub.name());
    }
    cancelTimer(sub.expiryTimer);
    sub.expiryTimer = -1;
    node.removeSubscription(hub, sub.name(), this);
    node.metrics().subscriptionClosed(node.clientLabels(client.id()), sub.name());
    if (!sub.establishing()) {
      if (sub.channel.options().isPresence()) {
        node.presence().remove(sub.name(), client.id());
      }
      if (sub.channel.options().isJoinLeave()) {
        node.publishLeave(sub.name(), sub.info);
      }
    }
  }

  boolean unsubscribe(String channel) {
    Subscription sub = byChannel.get(channel);
    if (sub == null) {
      return false;
    }
    remove(sub);
    return true;
  }

  void removeAll() {
    for (Subscription sub : new ArrayList<>(byChannel.values())) {
      remove(sub);
    }
  }

  // ---- on the server's initiative ---------------------------------------------------------

  /** Unsubscribes and tells the client with an {@code unsubscribe} push. */
  void serverUnsubscribe(String channel, Unsubscribe why) {
    if (unsubscribe(channel)) {
      node.metrics().serverUnsubscribed(channel, why.code());
      client.push(Protos.unsubscribePush(channel, why));
    }
  }

  /** Subscribes on the server's initiative and announces it with a {@code subscribe} push. */
  Future<Void> serverSubscribe(ResolvedChannel channel, SubscribeOptions options, long expireAt) {
    if (byChannel.containsKey(channel.name())) {
      return Future.succeededFuture();
    }
    if (byChannel.size() >= node.options().getClient().getChannelLimit()) {
      client.close(Disconnect.CHANNEL_LIMIT);
      return Future.succeededFuture();
    }
    return subscribe(channel, options).map(outcome -> {
      SubscribeResult r = outcome.result();
      client.push(io.rotor.protocol.pb.Push.newBuilder().setChannel(channel.name())
          .setSubscribe(Subscribe.newBuilder().setRecoverable(r.getRecoverable()).setEpoch(r.getEpoch())
              .setOffset(r.getOffset()).setPositioned(r.getPositioned()).setData(r.getData()))
          .build());
      for (io.rotor.protocol.pb.Publication p : outcome.publications()) {
        client.push(io.rotor.protocol.pb.Push.newBuilder().setChannel(channel.name()).setPub(p).build());
      }
      activate(channel.name());
      Subscription sub = byChannel.get(channel.name());
      if (sub != null && expireAt > 0) {
        setExpiry(sub, expireAt);
      }
      return (Void) null;
    }).recover(e -> {
      if (e instanceof Disconnect.Exception d) {
        client.close(d.disconnect());
      }
      return Future.succeededFuture();
    });
  }
}
