package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Sequencer} that shares forward history reads of one channel among the clients asking at
 * about the same time: in a reconnect storm thousands of clients recover the same channels at once,
 * and each would otherwise cost a read of the store (a Redis round trip and the publications'
 * decoding, or a hop to the history context). While a read of a channel is running, the reads of
 * that channel that arrive wait; when it ends they go out together as one read from the oldest
 * position among them, and each gets exactly the slice it would have read alone.
 *
 * <p>Why joining a later read is safe for recovery: a client subscribes before it asks for history
 * (publications after that reach it live and are merged), so its read may start at any moment after
 * it asked, but not before. Only reads not yet started are joined, never one already running.
 *
 * <p>Only forward reads are shared (recovery, and positioning, which reads the top only); reverse
 * reads go through as they are. Thread-safe: callers come from every event loop.
 */
public final class SharedReads implements Sequencer {

  private final Sequencer delegate;
  /** Channels with a read running; the waiting reads of each, joined when it ends. Guarded by itself. */
  private final Map<String, List<Waiter>> running = new HashMap<>();
  /** Reads of the store done and reads served, for tests and the benchmark's report. */
  private long storeReads;
  private long served;

  public SharedReads(Sequencer delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<StreamPosition> publish(String channel, Publication publication, HistoryOptions options,
      PublishConditions conditions) {
    return delegate.publish(channel, publication, options, conditions);
  }

  @Override
  public Future<Void> remove(String channel) {
    return delegate.remove(channel);
  }

  @Override
  public Future<HistoryResult> history(String channel, HistoryFilter filter, HistoryOptions options) {
    if (filter.reverse() || filter.since() == null && filter.limit() != 0) {
      return delegate.history(channel, filter, options);
    }
    Context caller = Vertx.currentContext();
    Promise<HistoryResult> promise = caller instanceof ContextInternal ci ? ci.promise() : Promise.promise();
    Waiter waiter = new Waiter(filter, options, promise);
    boolean first;
    synchronized (running) {
      served++;
      List<Waiter> waiting = running.get(channel);
      first = waiting == null;
      if (first) {
        running.put(channel, new ArrayList<>());
      } else {
        waiting.add(waiter);
      }
    }
    if (first) {
      read(channel, List.of(waiter));
    }
    return promise.future();
  }

  /** One read of the store for {@code batch}; then the reads that arrived meanwhile, as one. */
  private void read(String channel, List<Waiter> batch) {
    HistoryOptions options = batch.get(0).options;
    HistoryFilter shared = union(batch);
    synchronized (running) {
      storeReads++;
    }
    Future<HistoryResult> read;
    try {
      read = delegate.history(channel, shared, options);
    } catch (RuntimeException e) {
      read = Future.failedFuture(e);
    }
    read.onComplete(r -> {
      for (Waiter w : batch) {
        if (r.succeeded()) {
          w.promise.complete(slice(r.result(), w.filter));
        } else {
          w.promise.fail(r.cause());
        }
      }
      List<Waiter> next;
      synchronized (running) {
        next = running.get(channel);
        if (next.isEmpty()) {
          running.remove(channel);
          return;
        }
        running.put(channel, new ArrayList<>());
      }
      // Waiters with other stream options (a namespace changed under a running read) go alone.
      List<Waiter> same = new ArrayList<>();
      for (Waiter w : next) {
        if (w.options.equals(next.get(0).options)) {
          same.add(w);
        } else {
          delegate.history(channel, w.filter, w.options).onComplete(w.promise);
        }
      }
      read(channel, same);
    });
  }

  /**
   * The one filter that covers every read of the batch: from the oldest position, long enough for
   * the newest one's limit too. A top-only read (limit 0) needs nothing but the top.
   */
  static HistoryFilter union(List<Waiter> batch) {
    StreamPosition oldest = null;
    long newest = Long.MIN_VALUE;
    boolean unlimited = false;
    int limit = 0;
    for (Waiter w : batch) {
      HistoryFilter f = w.filter;
      if (f.since() == null) {
        continue; // top only
      }
      if (oldest == null || f.since().offset() < oldest.offset()) {
        oldest = f.since();
      }
      newest = Math.max(newest, f.since().offset());
      if (f.limit() == HistoryFilter.NO_LIMIT) {
        unlimited = true;
      } else {
        limit = Math.max(limit, f.limit());
      }
    }
    if (oldest == null) {
      return HistoryFilter.topOnly();
    }
    if (unlimited) {
      return new HistoryFilter(oldest, HistoryFilter.NO_LIMIT, false);
    }
    long span = newest - oldest.offset() + limit;
    return new HistoryFilter(oldest, span > Integer.MAX_VALUE ? HistoryFilter.NO_LIMIT : (int) span, false);
  }

  /** What {@code filter} alone would have read, cut out of a read from an older position. */
  static HistoryResult slice(HistoryResult read, HistoryFilter filter) {
    if (filter.since() == null) {
      return new HistoryResult(List.of(), read.top());
    }
    List<Publication> pubs = read.publications();
    long after = filter.since().offset();
    int from = 0;
    int lo = 0;
    int hi = pubs.size();
    while (lo < hi) { // the first publication past the position (offsets ascend)
      int mid = (lo + hi) >>> 1;
      if (pubs.get(mid).offset() <= after) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    from = lo;
    int to = filter.limit() == HistoryFilter.NO_LIMIT ? pubs.size() : Math.min(pubs.size(), from + filter.limit());
    return new HistoryResult(from == 0 && to == pubs.size() ? pubs : List.copyOf(pubs.subList(from, to)), read.top());
  }

  /** Store reads done and reads served so far. */
  public long[] counts() {
    synchronized (running) {
      return new long[] {storeReads, served};
    }
  }

  record Waiter(HistoryFilter filter, HistoryOptions options, Promise<HistoryResult> promise) {
  }
}
