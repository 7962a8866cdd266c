package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.broker.PublicationCodec;
import io.rotor.core.StreamPosition;
import io.rotor.redis.RedisScript;
import io.rotor.redis.RedisShards;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * History in Redis: per channel a stream ({@code XADD MAXLEN}, one entry per publication, id = its
 * offset) and a meta hash with the epoch and the top offset. Offsets are assigned by the
 * {@code history_add.lua} script, atomically with the append, so any node may continue a stream
 * where another left it. Appends go over the shard's ordered connection: they are pipelined,
 * and their replies (hence the fan-out that follows each) arrive in offset order. When Redis
 * loses a stream's meta (restart without persistence, FLUSHALL, eviction) the next call creates a
 * new epoch, so no client can be told it recovered across the loss.
 */
public final class RedisHistoryStore implements HistoryStore {

  private static final RedisScript ADD = RedisScript.load(RedisHistoryStore.class, "history_add");
  private static final RedisScript GET = RedisScript.load(RedisHistoryStore.class, "history_get");
  private static final RedisScript CLAIM = RedisScript.load(RedisHistoryStore.class, "history_claim");

  private final RedisShards redis;
  private final boolean publish;

  public RedisHistoryStore(RedisShards redis) {
    this(redis, false);
  }

  /**
   * {@code publish}: the append script also publishes to the channel's Redis PUB/SUB channel (the
   * Redis broker), atomically with the append.
   */
  public RedisHistoryStore(RedisShards redis, boolean publish) {
    this.redis = redis;
    this.publish = publish;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Future<Appended> add(String channel, Publication publication, HistoryOptions options, PublishConditions conditions) {
    RedisShards.Shard shard = redis.shard(channel);
    Object[] keys = {redis.key("stream", channel), redis.key("meta", channel), resultKey(channel, conditions)};
    Object[] args = {PublicationCodec.encode(publication), (long) options.size(), seconds(options.ttl()),
        Epochs.next(), metaSeconds(options), conditions.idempotent() ? conditions.resultTtlSeconds() : 0L,
        conditions.versioned() ? Long.toUnsignedString(conditions.version()) : "0", conditions.versionEpoch(),
        publishTo(channel)};
    return ADD.run(shard::sendOrdered, keys, args).map(RedisHistoryStore::appended);
  }

  @Override
  public Future<Appended> claim(String channel, PublishConditions conditions) {
    Object[] keys = {resultKey(channel, conditions)};
    Object[] args = {conditions.resultTtlSeconds()};
    return CLAIM.run(redis.shard(channel)::sendOrdered, keys, args).map(RedisHistoryStore::appended);
  }

  private static Appended appended(Response r) {
    StreamPosition pos = new StreamPosition(r.get(0).toLong(), r.get(1).toString());
    return r.get(2).toInteger() == 1 ? Appended.suppressed(pos) : Appended.stored(pos);
  }

  /** Beside the channel's keys (same shard); unused when the publish has no idempotency key. */
  private String resultKey(String channel, PublishConditions conditions) {
    return redis.key("result", channel) + "." + conditions.idempotencyKey();
  }

  /** The PUB/SUB channel the append script publishes to, or "" when another broker fans out. */
  private String publishTo(String channel) {
    return publish ? redis.pubSubChannel(channel) : "";
  }

  @Override
  public Future<HistoryResult> read(String channel, HistoryFilter filter, HistoryOptions options) {
    Object[] keys = {redis.key("stream", channel), redis.key("meta", channel)};
    boolean withPubs = filter.limit() != 0;
    String low = "-";
    String high = "+";
    StreamPosition since = filter.since();
    if (since != null) {
      if (filter.reverse()) {
        if (since.offset() <= 1) {
          withPubs = false;
        }
        high = (since.offset() - 1) + "-0";
      } else {
        low = (since.offset() + 1) + "-0";
      }
    }
    Object[] args = {Epochs.next(), options == null ? 0L : metaSeconds(options), withPubs ? "1" : "0",
        low, high, (long) (filter.limit() < 0 ? -1 : filter.limit()), filter.reverse() ? "1" : "0"};
    return GET.run(redis.shard(channel)::send, keys, args).map(r -> {
      StreamPosition top = new StreamPosition(r.get(0).toLong(), r.get(1).toString());
      List<Publication> pubs = new ArrayList<>();
      if (r.size() > 2 && r.get(2) != null) {
        for (Response entry : r.get(2)) {
          Publication p = decodeEntry(entry);
          pubs.add(p.withPosition(p.offset(), top.epoch()));
        }
      }
      return new HistoryResult(pubs, top);
    });
  }

  /** An XRANGE entry {@code [id, ["d", payload]]}; the offset is the id's first part. */
  private static Publication decodeEntry(Response entry) {
    String id = entry.get(0).toString();
    long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
    Response fields = entry.get(1);
    Publication stored = PublicationCodec.decode(fields.get(1).toBuffer());
    return stored.withPosition(offset, stored.epoch());
  }

  /**
   * The stream's position as it is, or null when the stream has no meta: unlike {@link #read} this
   * creates nothing, so it costs no key for channels without history.
   */
  public Future<StreamPosition> top(String channel) {
    Request r = Request.cmd(io.vertx.redis.client.Command.HMGET).arg(redis.key("meta", channel)).arg("e").arg("s");
    return redis.shard(channel).send(r).map(m -> m.get(0) == null ? null
        : new StreamPosition(m.get(1) == null ? 0 : m.get(1).toLong(), m.get(0).toString()));
  }

  @Override
  public Future<Void> remove(String channel) {
    return redis.shard(channel).send(Request.cmd(io.vertx.redis.client.Command.DEL).arg(redis.key("stream", channel)))
        .mapEmpty();
  }

  private static long seconds(java.time.Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  private static long metaSeconds(HistoryOptions options) {
    return options.metaTtl() == null || options.metaTtl().isZero() ? 0 : seconds(options.metaTtl());
  }
}
