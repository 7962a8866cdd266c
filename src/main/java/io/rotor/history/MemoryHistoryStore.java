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
  /** channel + NUL + key -> the position it got, in insertion order, so expiry trims from the head. */
  private final java.util.LinkedHashMap<String, Remembered> onceKeys = new java.util.LinkedHashMap<>();

  private record Remembered(StreamPosition position, long until) {
  }
  private final LongSupplier clock;

  public MemoryHistoryStore() {
    this(System::currentTimeMillis);
  }

  /** With an explicit clock (unix ms), so TTL behaviour is testable without waiting. */
  public MemoryHistoryStore(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Future<StreamPosition> add(String channel, Publication publication, HistoryOptions options) {
    long now = clock.getAsLong();
    MemoryStream stream = stream(channel, options, now);
    stream.ttlMillis = options.ttl().toMillis();
    stream.dropExpired(now);
    stream.append(publication, options.size(), now);
    return Future.succeededFuture(stream.position());
  }

  @Override
  public Future<Idempotency.Appended> addOnce(String channel, Publication publication, HistoryOptions options,
      String key, java.time.Duration ttl) {
    long now = clock.getAsLong();
    for (var it = onceKeys.values().iterator(); it.hasNext(); ) {
      if (it.next().until() > now) {
        break;
      }
      it.remove();
    }
    String id = channel + '\u0000' + key;
    Remembered seen = onceKeys.get(id);
    MemoryStream current = streams.get(channel);
    // A repeat only within the same stream: a stream started anew (new epoch) has no record of it.
    if (seen != null && seen.until() > now && current != null && !current.metaExpired(now) && current.position().epoch().equals(seen.position().epoch())) {
      return Future.succeededFuture(new Idempotency.Appended(seen.position(), true));
    }
    return add(channel, publication, options).map(pos -> {
      onceKeys.put(id, new Remembered(pos, now + ttl.toMillis()));
      return new Idempotency.Appended(pos, false);
    });
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
