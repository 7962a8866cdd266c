package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * History kept in this JVM. Not thread-safe on purpose: the {@link HistorySequencer} owns it on one
 * context, which is what keeps offsets gap-free and ordered without locks.
 */
public final class MemoryHistoryStore implements HistoryStore {

  private final Map<String, MemoryStream> streams = new HashMap<>();
  /** Idempotent publish results by channel and key; dropped once expired (lookups check the time too). */
  private final Map<String, Result> results = new HashMap<>();
  private final LongSupplier clock;

  public MemoryHistoryStore() {
    this(System::currentTimeMillis);
  }

  /** With an explicit clock (unix ms), so TTL behaviour is testable without waiting. */
  public MemoryHistoryStore(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Future<Appended> add(String channel, Publication publication, HistoryOptions options, PublishConditions conditions) {
    long now = clock.getAsLong();
    StreamPosition first = remembered(channel, conditions, now);
    if (first != null) {
      return Future.succeededFuture(Appended.suppressed(first));
    }
    MemoryStream stream = stream(channel, options, now);
    stream.ttlMillis = options.ttl().toMillis();
    stream.dropExpired(now);
    if (conditions.versioned()) {
      if (stream.stale(conditions.version(), conditions.versionEpoch())) {
        return Future.succeededFuture(Appended.suppressed(stream.position()));
      }
      stream.topVersion = conditions.version();
      stream.topVersionEpoch = conditions.versionEpoch();
    }
    stream.append(publication, options.size(), now);
    remember(channel, conditions, stream.position(), now);
    return Future.succeededFuture(Appended.stored(stream.position()));
  }

  @Override
  public Future<Appended> claim(String channel, PublishConditions conditions) {
    long now = clock.getAsLong();
    StreamPosition first = remembered(channel, conditions, now);
    if (first != null) {
      return Future.succeededFuture(Appended.suppressed(first));
    }
    remember(channel, conditions, StreamPosition.EMPTY, now);
    return Future.succeededFuture(Appended.stored(StreamPosition.EMPTY));
  }

  private StreamPosition remembered(String channel, PublishConditions conditions, long now) {
    if (!conditions.idempotent()) {
      return null;
    }
    Result r = results.get(resultKey(channel, conditions));
    return r == null || r.expireAt <= now ? null : r.position;
  }

  private void remember(String channel, PublishConditions conditions, StreamPosition position, long now) {
    if (conditions.idempotent()) {
      results.put(resultKey(channel, conditions), new Result(position, now + conditions.idempotentResultTtl().toMillis()));
    }
  }

  private static String resultKey(String channel, PublishConditions conditions) {
    return channel + '\u0000' + conditions.idempotencyKey();
  }

  /** The first result of an idempotent publish, kept until {@code expireAt} (unix ms). */
  private record Result(StreamPosition position, long expireAt) {
  }

  @Override
  public Future<HistoryResult> read(String channel, HistoryFilter filter, HistoryOptions options) {
    long now = clock.getAsLong();
    MemoryStream stream = stream(channel, options, now);
    stream.dropExpired(now);
    return Future.succeededFuture(new HistoryResult(stream.select(filter), stream.position()));
  }

  @Override
  public Future<Void> remove(String channel) {
    MemoryStream stream = streams.get(channel);
    if (stream != null) {
      stream.clear();
    }
    return Future.succeededFuture();
  }

  @Override
  public void expire() {
    long now = clock.getAsLong();
    streams.values().removeIf(s -> s.metaExpired(now));
    results.values().removeIf(r -> r.expireAt <= now);
  }

  /** The live stream of a channel; one whose meta expired is replaced, which starts a new epoch. */
  private MemoryStream stream(String channel, HistoryOptions options, long now) {
    MemoryStream stream = streams.get(channel);
    if (stream == null || stream.metaExpired(now)) {
      stream = new MemoryStream(Epochs.next(), now);
      streams.put(channel, stream);
    }
    stream.touchedAt = now;
    if (options != null && options.metaTtl() != null) {
      stream.metaTtlMillis = options.metaTtl().toMillis();
    }
    return stream;
  }
}
