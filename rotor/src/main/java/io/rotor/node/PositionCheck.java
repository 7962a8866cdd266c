package io.rotor.node;

import io.rotor.core.StreamPosition;
import io.rotor.channel.ResolvedChannel;
import io.rotor.history.HistoryFilter;
import io.rotor.core.ClientError;

/**
 * The periodic position check ({@code client.channel_position_check_delay}): a publication that
 * was stored but never fanned out (a Redis reply lost with its connection, a fan-out message lost
 * between nodes) leaves subscribers silently behind until the next publication shows the gap, which
 * may never come. Every interval the node reads the stream top once per local channel with
 * history (not once per client), waits a short grace for publications already on their way, then
 * every positioned subscription of the channel still behind that top, or on another epoch, is told
 * its state is insufficient (2500, or 3010 server-side) and recovers.
 *
 * <p>Off for the memory engine on a single node, where fan-out happens in process and cannot lose
 * a publication (Centrifugo likewise skips brokers that declare reliable delivery).
 */
final class PositionCheck {

  /** Publications read as the top may still be travelling to this node; never compare earlier. */
  static final long MAX_GRACE_MS = 1_000;

  private final Node node;
  private final long graceMs;
  private final long timer;

  PositionCheck(Node node) {
    this.node = node;
    long delay = node.options().getClient().getChannelPositionCheckDelay().toMillis();
    boolean lossPossible = node.options().getEngine().isRedis() || node.options().getCluster().isEnabled();
    this.graceMs = Math.max(1, Math.min(MAX_GRACE_MS, delay / 4));
    this.timer = delay > 0 && lossPossible ? node.vertx().setPeriodic(delay, t -> check()) : -1;
  }

  void check() {
    for (String name : node.localChannels()) {
      ResolvedChannel channel;
      try {
        channel = node.resolver().resolve(name);
      } catch (ClientError.Exception e) {
        continue;
      }
      if (!channel.historyEnabled()) {
        continue;
      }
      node.readHistory(channel, HistoryFilter.topOnly(), "history_stream_top").onSuccess(r -> {
        StreamPosition top = r.top();
        node.vertx().setTimer(graceMs, t -> node.checkPositions(name, top));
      });
      // A failed read (engine unreachable) checks nothing: the next interval tries again.
    }
  }

  void stop() {
    if (timer >= 0) {
      node.vertx().cancelTimer(timer);
    }
  }
}
