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
    byChannel.put(channel.name(), sub);
    // In a cluster, the position is read only once publications of the channel reach this node.
    Future<Void> registered = node.addSubscription(hub, channel.name(), this);
    if (!options.positioned()) {
      return registered.map(v -> outcome(sub, 0, List.of(), false));
    }
    StreamPosition since = options.recoverSince();
    HistoryFilter filter = since == null ? HistoryFilter.topOnly()
        : new HistoryFilter(since, node.options().getClient().getRecoveryMaxPublicationLimit(), false);
    return registered.compose(v -> node.readHistory(channel, filter)).compose(history -> {
      if (byChannel.get(channel.name()) != sub || client.closed()) {
        return Future.failedFuture(ClientError.INTERNAL.asException());
      }
      return Future.succeededFuture(positioned(sub, history));
    }).onFailure(e -> {
      if (byChannel.get(channel.name()) == sub) {
        remove(sub);
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

  private static SubscribeOutcome outcome(Subscription sub, long replyOffset, List<Publication> publications,
      boolean recovered) {
    SubscribeResult.Builder r = SubscribeResult.newBuilder();
    SubscribeOptions o = sub.options;
    r.setRecoverable(o.recoverable());
    if (o.positioned()) {
      r.setEpoch(sub.epoch).setOffset(replyOffset).setPositioned(true);
    }
    r.setRecovered(recovered);
    r.setWasRecovering(o.recoverSince() != null);
    if (o.data() != null) {
      r.setData(Protos.bytes(o.data()));
    }
    return new SubscribeOutcome(sub.name(), r.build(), publications, recovered);
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
      if (advancePosition(sub, p)) {
        client.push(Protos.publicationPush(channel, p));
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
    client.deliver(push);
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
    cancelTimer(sub.expiryTimer);
    sub.expiryTimer = -1;
    node.removeSubscription(hub, sub.name(), this);
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
      node.metrics().serverUnsubscribed(why.code());
      client.push(Protos.unsubscribePush(channel, why));
    }
  }

  /** Subscribes on the server's initiative and announces it with a {@code subscribe} push. */
  Future<Void> serverSubscribe(ResolvedChannel channel, SubscribeOptions options) {
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
      for (Publication p : outcome.publications()) {
        client.push(Protos.publicationPush(channel.name(), p));
      }
      activate(channel.name());
      return (Void) null;
    }).recover(e -> {
      if (e instanceof Disconnect.Exception d) {
        client.close(d.disconnect());
      }
      return Future.succeededFuture();
    });
  }
}
