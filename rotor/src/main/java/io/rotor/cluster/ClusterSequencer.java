package io.rotor.cluster;

import io.rotor.core.Publication;
import io.rotor.broker.PublicationCodec;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.history.HistoryOptions;
import io.rotor.history.HistoryResult;
import io.rotor.history.HistorySequencer;
import io.rotor.history.PublishConditions;
import io.rotor.history.Sequencer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One sequencer per channel, cluster-wide: the history verticle of the channel's owner. A publish
 * on any node is sent to the owner, whose sequencer assigns the offset, appends and fans out, so
 * all subscribers see one order.
 *
 * <p>With Redis the offset is assigned by a Lua script, atomically with the append, and the meta
 * hash holds epoch and top offset: a new owner simply continues, and two nodes that briefly both
 * believe they own a channel (while membership news travels) can never assign one offset twice.
 * Reads go straight to Redis from any node. With the memory engine the stream lives in the
 * owner's JVM: reads go to the owner, and when ownership moves the new owner starts a new epoch,
 * so clients are told they could not recover rather than given a wrong history.
 */
public final class ClusterSequencer implements Sequencer {

  private final Cluster cluster;
  private final HistorySequencer local;
  private final boolean shared;

  public ClusterSequencer(Cluster cluster, HistorySequencer local) {
    this.cluster = cluster;
    this.local = local;
    this.shared = local.store().shared();
    cluster.on("seq-publish", m -> {
      PublicationCodec.Reader r = EventBusBroker.reader(m.body());
      String channel = r.readString();
      HistoryOptions options = readOptions(r);
      Publication p = PublicationCodec.readPublication(r);
      PublishConditions conditions = readConditions(r);
      Cluster.reply(m, local.publish(channel, p, options, conditions), ClusterSequencer::encodePosition);
    });
    cluster.on("seq-history", m -> {
      PublicationCodec.Reader r = EventBusBroker.reader(m.body());
      String channel = r.readString();
      HistoryOptions options = readOptions(r);
      HistoryFilter filter = readFilter(r);
      Cluster.reply(m, local.history(channel, filter, options), ClusterSequencer::encodeResult);
    });
    cluster.on("seq-remove", m -> {
      String channel = EventBusBroker.reader(m.body()).readString();
      Cluster.reply(m, local.remove(channel), v -> Buffer.buffer());
    });
  }

  @Override
  public Future<StreamPosition> publish(String channel, Publication publication, HistoryOptions options,
      PublishConditions conditions) {
    String owner = cluster.members().owner(channel);
    if (owner.equals(cluster.selfId())) {
      return local.publish(channel, publication, options, conditions);
    }
    Buffer body = channelBuffer(channel);
    writeOptions(body, options);
    PublicationCodec.writePublication(body, publication);
    writeConditions(body, conditions);
    return cluster.request(owner, "seq-publish", body).map(b -> {
      PublicationCodec.Reader r = EventBusBroker.reader(b);
      return new StreamPosition(r.readLong(), r.readString());
    });
  }

  @Override
  public Future<HistoryResult> history(String channel, HistoryFilter filter, HistoryOptions options) {
    String owner = cluster.members().owner(channel);
    if (shared || owner.equals(cluster.selfId())) {
      return local.history(channel, filter, options);
    }
    Buffer body = channelBuffer(channel);
    writeOptions(body, options);
    writeFilter(body, filter);
    return cluster.request(owner, "seq-history", body).map(ClusterSequencer::decodeResult);
  }

  @Override
  public Future<Void> remove(String channel) {
    String owner = cluster.members().owner(channel);
    if (shared || owner.equals(cluster.selfId())) {
      return local.remove(channel);
    }
    return cluster.request(owner, "seq-remove", channelBuffer(channel)).mapEmpty();
  }

  private static Buffer channelBuffer(String channel) {
    Buffer b = Buffer.buffer(128);
    PublicationCodec.writeString(b, channel);
    return b;
  }

  private static void writeOptions(Buffer b, HistoryOptions o) {
    b.appendInt(o == null ? -1 : o.size());
    if (o != null) {
      b.appendLong(o.ttl() == null ? -1 : o.ttl().toMillis());
      b.appendLong(o.metaTtl() == null ? -1 : o.metaTtl().toMillis());
    }
  }

  private static HistoryOptions readOptions(PublicationCodec.Reader r) {
    int size = r.readInt();
    if (size < 0) {
      return null;
    }
    long ttl = r.readLong();
    long meta = r.readLong();
    return new HistoryOptions(size, ttl < 0 ? null : Duration.ofMillis(ttl), meta < 0 ? null : Duration.ofMillis(meta));
  }

  private static void writeConditions(Buffer b, PublishConditions c) {
    PublicationCodec.writeString(b, c.idempotencyKey());
    b.appendLong(c.idempotentResultTtl().toMillis());
    b.appendLong(c.version());
    PublicationCodec.writeString(b, c.versionEpoch());
  }

  private static PublishConditions readConditions(PublicationCodec.Reader r) {
    return new PublishConditions(r.readString(), Duration.ofMillis(r.readLong()), r.readLong(), r.readString());
  }

  private static void writeFilter(Buffer b, HistoryFilter f) {
    StreamPosition since = f.since();
    b.appendInt(since == null ? 0 : 1);
    if (since != null) {
      b.appendLong(since.offset());
      PublicationCodec.writeString(b, since.epoch());
    }
    b.appendInt(f.limit());
    b.appendInt(f.reverse() ? 1 : 0);
  }

  private static HistoryFilter readFilter(PublicationCodec.Reader r) {
    StreamPosition since = r.readInt() == 1 ? new StreamPosition(r.readLong(), r.readString()) : null;
    return new HistoryFilter(since, r.readInt(), r.readInt() == 1);
  }

  private static Buffer encodePosition(StreamPosition p) {
    Buffer b = Buffer.buffer(32).appendLong(p.offset());
    PublicationCodec.writeString(b, p.epoch());
    return b;
  }

  private static Buffer encodeResult(HistoryResult result) {
    Buffer b = encodePosition(result.top());
    b.appendInt(result.publications().size());
    result.publications().forEach(p -> PublicationCodec.writePublication(b, p));
    return b;
  }

  private static HistoryResult decodeResult(Buffer b) {
    PublicationCodec.Reader r = EventBusBroker.reader(b);
    StreamPosition top = new StreamPosition(r.readLong(), r.readString());
    int n = r.readInt();
    List<Publication> pubs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pubs.add(PublicationCodec.readPublication(r));
    }
    return new HistoryResult(pubs, top);
  }
}
