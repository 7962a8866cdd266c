package io.rotor.impl;

import io.rotor.ChannelSubscriber;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientError;
import io.rotor.core.Contexts;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryResult;
import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.rotor.protocol.PreparedPush;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server-side subscriber: joins its loop's Hub like a connection's subscription does and keeps the
 * same position discipline ({@code client.Subscriptions}): live publications are buffered while the
 * position is read or history recovered, then merged by offset; afterwards each publication must be
 * the next offset of the same epoch. A gap, another epoch or a position check behind the top makes
 * it recover from its last position by itself (staying in the Hub, buffering meanwhile, so nothing
 * published during the recovery is missed). Everything runs on its event loop.
 */
final class LocalSubscriber implements ChannelSubscriber, Hub.Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(LocalSubscriber.class);
  private static final long RETRY_MS = 1_000;

  private final Node node;
  private final Hub hub;
  private final Context context;
  private final String name;
  private final Runnable onClose;
  private ResolvedChannel channel;
  private Handler<Publication> handler = p -> { };
  private Handler<Subscribed> subscribedHandler = s -> { };
  private long offset;
  private String epoch = "";
  /** Live publications held while (re)establishing the position; null when delivering live. */
  private List<Publication> buffer;
  private boolean joined;
  private boolean closed;

  LocalSubscriber(Node node, Hub hub, String channel, Runnable onClose) {
    this.node = node;
    this.hub = hub;
    this.context = Vertx.currentContext();
    this.name = channel;
    this.onClose = onClose;
  }

  @Override
  public String channel() {
    return name;
  }

  @Override
  public ChannelSubscriber handler(Handler<Publication> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ChannelSubscriber subscribedHandler(Handler<Subscribed> handler) {
    this.subscribedHandler = handler;
    return this;
  }

  @Override
  public StreamPosition position() {
    return new StreamPosition(offset, epoch);
  }

  @Override
  public Future<Subscribed> subscribe(StreamPosition since) {
    if (joined || closed) {
      return Future.failedFuture(new IllegalStateException("subscribe once per subscriber"));
    }
    try {
      channel = node.resolver().resolve(name);
    } catch (ClientError.Exception e) {
      return Future.failedFuture(e);
    }
    if (since != null && !channel.historyEnabled()) {
      return Future.failedFuture(ClientError.NOT_AVAILABLE.asException());
    }
    joined = true;
    buffer = new ArrayList<>();
    // Publications reach this node once the future completes: a position read after it misses nothing.
    return Contexts.backOn(context, node.addSubscription(hub, name, this)).compose(v -> establish(since))
        .onFailure(e -> unsubscribe());
  }

  /** Reads the top (or recovers after {@code since}), merges the buffer and goes live. */
  private Future<Subscribed> establish(StreamPosition since) {
    if (!channel.historyEnabled()) {
      return Future.succeededFuture(goLive(new Subscribed(StreamPosition.EMPTY, false, false), List.of()));
    }
    HistoryFilter filter = since == null ? HistoryFilter.topOnly() : new HistoryFilter(since, HistoryFilter.NO_LIMIT, false);
    return Contexts.backOn(context, node.readHistory(channel, filter)).map(history -> {
      if (closed) {
        return new Subscribed(position(), since != null, false);
      }
      return positioned(since, history);
    });
  }

  private Subscribed positioned(StreamPosition since, HistoryResult history) {
    StreamPosition top = history.top();
    List<Publication> pubs = history.publications();
    boolean recovered = false;
    if (since != null) {
      boolean epochOk = since.epoch().isEmpty() || since.epoch().equals(top.epoch());
      recovered = epochOk && (pubs.isEmpty()
          ? top.offset() == since.offset()
          : pubs.get(0).offset() == since.offset() + 1 && pubs.get(pubs.size() - 1).offset() == top.offset());
    }
    epoch = top.epoch();
    offset = recovered ? since.offset() : top.offset();
    return goLive(new Subscribed(recovered ? since : top, since != null, recovered), recovered ? pubs : List.of());
  }

  /**
   * Delivers the recovered publications, then the buffered ones after them; a hole between the two
   * (a publication lost on its way here) means recovering again from the last delivered offset.
   */
  private Subscribed goLive(Subscribed subscribed, List<Publication> recovered) {
    List<Publication> buffered = buffer;
    buffer = null;
    subscribedHandler.handle(subscribed);
    for (Publication p : recovered) {
      if (closed || buffer != null) {
        return subscribed;
      }
      advance(p);
    }
    for (Publication p : buffered) {
      if (closed || buffer != null) {
        return subscribed;
      }
      advance(p);
    }
    return subscribed;
  }

  // ---- live delivery (on the Hub's loop) --------------------------------------------------------

  @Override
  public void deliverPublication(String ch, Publication pub, PreparedPush push) {
    if (Vertx.currentContext() == context) {
      onPublication(pub);
    } else {
      // The Hub's context is another context of this same loop: order is kept.
      context.runOnContext(v -> onPublication(pub));
    }
  }

  private void onPublication(Publication pub) {
    if (closed) {
      return;
    }
    if (buffer != null) {
      buffer.add(pub);
      return;
    }
    advance(pub);
  }

  /** Delivers the next publication; drops duplicates; recovers on a gap or an epoch change. */
  private void advance(Publication pub) {
    if (pub.offset() == 0 || !channel.historyEnabled()) {
      handler.handle(pub);
      return;
    }
    if (!epoch.isEmpty() && pub.epoch() != null && !epoch.equals(pub.epoch())) {
      recover();
      return;
    }
    if (pub.offset() <= offset) {
      return;
    }
    if (pub.offset() > offset + 1) {
      recover();
      return;
    }
    offset = pub.offset();
    if (epoch.isEmpty() && pub.epoch() != null) {
      epoch = pub.epoch();
    }
    handler.handle(pub);
  }

  @Override
  public void deliverJoinLeave(String ch, PreparedPush push) {
    // A server-side subscriber is not a client: it asks for no join/leave.
  }

  @Override
  public void checkPosition(String ch, StreamPosition top) {
    context.runOnContext(v -> {
      if (!closed && buffer == null && channel.historyEnabled()
          && (!top.epoch().equals(epoch) || offset < top.offset())) {
        recover();
      }
    });
  }

  /** What an SDK does after 2500, without leaving the Hub: recover from the last delivered position. */
  private void recover() {
    if (closed || buffer != null) {
      return;
    }
    buffer = new ArrayList<>();
    attempt();
  }

  /** One recovery attempt; live publications stay buffered until one succeeds. */
  private void attempt() {
    StreamPosition from = position();
    establish(from).onFailure(e -> {
      LOG.warn("subscriber of {} could not recover from {}: {}; retrying", name, from, e.toString());
      node.vertx().setTimer(RETRY_MS, t -> context.runOnContext(v -> {
        if (!closed) {
          attempt();
        }
      }));
    });
  }

  @Override
  public Future<Void> unsubscribe() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    onClose.run();
    if (joined) {
      if (Vertx.currentContext() == context) {
        node.removeSubscription(hub, name, this);
      } else {
        return Contexts.backOn(Vertx.currentContext(), Future.<Void>future(p -> context.runOnContext(v -> {
          node.removeSubscription(hub, name, this);
          p.complete();
        })));
      }
    }
    return Future.succeededFuture();
  }
}
