package io.rotor.redis;

import io.rotor.broker.Broker;
import io.rotor.broker.BrokerEventHandler;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.broker.FanOutMessages;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out through Redis PUB/SUB, as Centrifugo's Redis engine does: no cluster membership is needed,
 * every node talks only to Redis. A node with local subscribers on a channel subscribes to the
 * channel's PUB/SUB channel on the channel's shard; each publication is published once per shard and
 * Redis delivers it to every subscribed node.
 *
 * <p>Publications with history are published by the append script itself ({@code history_add.lua}),
 * in the same atomic step that assigns their offset, so {@link #publish} has nothing left to do for
 * them and every node receives a channel's publications in offset order, whichever node published.
 * Publications without history and join/leave messages are published here.
 *
 * <p>Messages are those of {@link FanOutMessages}.
 */
public final class RedisBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

  private final RedisShards redis;
  private final List<RedisPubSub> pubSubs = new ArrayList<>();
  private final String channelPrefix;
  private BrokerEventHandler handler;

  public RedisBroker(RedisShards redis) {
    this.redis = redis;
    this.channelPrefix = redis.pubSubChannel("");
    for (int i = 0; i < redis.all().size(); i++) {
      pubSubs.add(redis.pubSub(i, this::onMessage));
    }
  }

  /** Runs after any shard's PUB/SUB connection was replaced: messages may have been lost meanwhile. */
  public void onResubscribed(Runnable r) {
    pubSubs.forEach(p -> p.onResubscribed(r));
  }

  @Override
  public void setEventHandler(BrokerEventHandler handler) {
    this.handler = handler;
  }

  @Override
  public Future<Void> publish(String channel, Publication publication) {
    if (publication.offset() > 0) {
      return Future.succeededFuture(); // already published by the append script
    }
    return send(channel, FanOutMessages.publication(publication));
  }

  @Override
  public Future<Void> publishJoin(String channel, ClientInfo info) {
    return send(channel, FanOutMessages.join(info));
  }

  @Override
  public Future<Void> publishLeave(String channel, ClientInfo info) {
    return send(channel, FanOutMessages.leave(info));
  }

  private Future<Void> send(String channel, Buffer msg) {
    Request r = Request.cmd(Command.PUBLISH).arg(redis.pubSubChannel(channel)).arg(msg);
    return redis.shard(channel).send(r).mapEmpty();
  }

  @Override
  public Future<Void> subscribe(String channel) {
    return pubSubs.get(redis.shardIndex(channel)).subscribe(redis.pubSubChannel(channel));
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    pubSubs.get(redis.shardIndex(channel)).unsubscribe(redis.pubSubChannel(channel));
    return Future.succeededFuture();
  }

  private void onMessage(String pubSubChannel, Buffer msg) {
    if (!pubSubChannel.startsWith(channelPrefix) || msg.length() == 0) {
      return;
    }
    String channel = pubSubChannel.substring(channelPrefix.length());
    try {
      FanOutMessages.dispatch(channel, msg, handler);
    } catch (RuntimeException e) {
      LOG.warn("undecodable message on {}: {}", pubSubChannel, e.toString());
    }
  }

  public void close() {
    pubSubs.forEach(RedisPubSub::close);
  }
}
