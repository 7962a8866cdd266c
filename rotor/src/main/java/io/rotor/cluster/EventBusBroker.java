package io.rotor.cluster;

import io.rotor.broker.Broker;
import io.rotor.broker.BrokerEventHandler;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.broker.PublicationCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fan-out over the clustered event bus. Each channel has an owner node (see {@link Members}); a
 * node with local subscribers registers its interest with the owner, and the owner sends each
 * publication once to each interested node's address, where the node's Hubs deliver it. So one
 * publication costs at most one event-bus message per remote node with subscribers.
 *
 * <p>Publications with an offset are handed over by the sequencer that assigned it and sent from
 * the sequencer's context, so each node receives a channel's publications in offset order.
 * Publications without history and join/leave messages are forwarded to the owner, which sends them on.
 */
public final class EventBusBroker implements Broker {

  private final Cluster cluster;
  private BrokerEventHandler handler;
  /** Owner side: channel to the other nodes with subscribers. */
  private final Map<String, Set<String>> interested = new ConcurrentHashMap<>();
  /** Channels with subscribers on this node. */
  private final Set<String> local = ConcurrentHashMap.newKeySet();

  public EventBusBroker(Cluster cluster) {
    this.cluster = cluster;
    cluster.on("pub", m -> {
      PublicationCodec.Reader r = reader(m.body());
      handler.onPublication(r.readString(), PublicationCodec.readPublication(r));
    });
    cluster.on("join", m -> {
      PublicationCodec.Reader r = reader(m.body());
      handler.onJoin(r.readString(), PublicationCodec.readInfo(r));
    });
    cluster.on("leave", m -> {
      PublicationCodec.Reader r = reader(m.body());
      handler.onLeave(r.readString(), PublicationCodec.readInfo(r));
    });
    cluster.on("fwd-pub", m -> {
      PublicationCodec.Reader r = reader(m.body());
      fanOut(r.readString(), PublicationCodec.readPublication(r), m.body());
    });
    cluster.on("fwd-join", m -> forwardedJoinLeave(m.body(), true));
    cluster.on("fwd-leave", m -> forwardedJoinLeave(m.body(), false));
    cluster.on("interest", m -> {
      PublicationCodec.Reader r = reader(m.body());
      String node = r.readString();
      while (!r.atEnd()) {
        boolean add = r.readInt() == 1;
        String channel = r.readString();
        if (add) {
          interested.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(node);
        } else {
          interested.computeIfPresent(channel, (c, nodes) -> {
            nodes.remove(node);
            return nodes.isEmpty() ? null : nodes;
          });
        }
      }
      m.reply(Buffer.buffer());
    });
    cluster.onMembershipChange(this::reRegister);
  }

  @Override
  public void setEventHandler(BrokerEventHandler handler) {
    this.handler = handler;
  }

  @Override
  public Future<Void> publish(String channel, Publication publication) {
    Buffer body = channelBuffer(channel);
    PublicationCodec.writePublication(body, publication);
    // Sequenced publications go out from where their offset was assigned, keeping offset order.
    if (publication.offset() > 0 || cluster.members().owns(channel)) {
      fanOut(channel, publication, body);
    } else {
      cluster.send(cluster.members().owner(channel), "fwd-pub", body);
    }
    return Future.succeededFuture();
  }

  private void fanOut(String channel, Publication publication, Buffer body) {
    handler.onPublication(channel, publication);
    Set<String> nodes = interested.get(channel);
    if (nodes != null) {
      for (String node : nodes) {
        cluster.send(node, "pub", body);
      }
    }
  }

  @Override
  public Future<Void> publishJoin(String channel, ClientInfo info) {
    return joinLeave(channel, info, true);
  }

  @Override
  public Future<Void> publishLeave(String channel, ClientInfo info) {
    return joinLeave(channel, info, false);
  }

  private Future<Void> joinLeave(String channel, ClientInfo info, boolean join) {
    Buffer body = channelBuffer(channel);
    PublicationCodec.writeInfo(body, info);
    if (cluster.members().owns(channel)) {
      fanOutJoinLeave(channel, info, body, join);
    } else {
      cluster.send(cluster.members().owner(channel), join ? "fwd-join" : "fwd-leave", body);
    }
    return Future.succeededFuture();
  }

  private void forwardedJoinLeave(Buffer body, boolean join) {
    PublicationCodec.Reader r = reader(body);
    String channel = r.readString();
    fanOutJoinLeave(channel, PublicationCodec.readInfo(r), body, join);
  }

  private void fanOutJoinLeave(String channel, ClientInfo info, Buffer body, boolean join) {
    if (join) {
      handler.onJoin(channel, info);
    } else {
      handler.onLeave(channel, info);
    }
    Set<String> nodes = interested.get(channel);
    if (nodes != null) {
      for (String node : nodes) {
        cluster.send(node, join ? "join" : "leave", body);
      }
    }
  }

  /**
   * Registers interest with the channel's owner; completes when the owner has it. Called by the
   * node on a channel's first local subscriber, in the order of its subscriber transitions, which
   * the cluster context keeps for the messages.
   */
  @Override
  public Future<Void> subscribe(String channel) {
    Promise<Void> registered = Promise.promise();
    cluster.context().runOnContext(v -> {
      local.add(channel);
      String owner = cluster.members().owner(channel);
      if (owner.equals(cluster.selfId())) {
        registered.complete();
        return;
      }
      // A failed registration is repeated on the next membership change; subscribers detect the gap.
      cluster.request(owner, "interest", interest(Map.of(channel, true))).onComplete(r -> registered.complete());
    });
    return registered.future();
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    cluster.context().runOnContext(v -> {
      local.remove(channel);
      String owner = cluster.members().owner(channel);
      if (!owner.equals(cluster.selfId())) {
        cluster.send(owner, "interest", interest(Map.of(channel, false)));
      }
    });
    return Future.succeededFuture();
  }

  /** After a membership change: forget channels now owned elsewhere, tell new owners about ours. */
  private void reRegister() {
    Members members = cluster.members();
    List<String> all = members.all();
    interested.keySet().removeIf(c -> !members.owns(c));
    interested.values().forEach(nodes -> nodes.retainAll(all));
    Map<String, Map<String, Boolean>> byOwner = new HashMap<>();
    for (String channel : local) {
      String owner = members.owner(channel);
      if (!owner.equals(cluster.selfId())) {
        byOwner.computeIfAbsent(owner, o -> new HashMap<>()).put(channel, true);
      }
    }
    byOwner.forEach((owner, channels) -> cluster.request(owner, "interest", interest(channels)));
  }

  private Buffer interest(Map<String, Boolean> channels) {
    Buffer b = Buffer.buffer();
    PublicationCodec.writeString(b, cluster.selfId());
    List<Map.Entry<String, Boolean>> entries = new ArrayList<>(channels.entrySet());
    for (Map.Entry<String, Boolean> e : entries) {
      b.appendInt(e.getValue() ? 1 : 0);
      PublicationCodec.writeString(b, e.getKey());
    }
    return b;
  }

  private static Buffer channelBuffer(String channel) {
    Buffer b = Buffer.buffer(128);
    PublicationCodec.writeString(b, channel);
    return b;
  }

  static PublicationCodec.Reader reader(Buffer b) {
    return new PublicationCodec.Reader(b, 0);
  }
}
