package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** One channel's in-memory stream: a bounded window of publications below a top offset. */
final class MemoryStream {

  final String epoch;
  long top;
  long ttlMillis;
  long metaTtlMillis;
  long touchedAt;
  /** The version of the last versioned publication and its epoch (0: none yet). */
  long topVersion;
  String topVersionEpoch = "";
  private final ArrayDeque<Publication> items = new ArrayDeque<>();

  MemoryStream(String epoch, long now) {
    this.epoch = epoch;
    this.touchedAt = now;
  }

  boolean metaExpired(long now) {
    return metaTtlMillis > 0 && now - touchedAt > metaTtlMillis;
  }

  /** Centrifugo's rule: a version not above the top one, in the same epoch (or none given), is stale. */
  boolean stale(long version, String versionEpoch) {
    return topVersion > 0 && (versionEpoch.isEmpty() || versionEpoch.equals(topVersionEpoch)) && version <= topVersion;
  }

  StreamPosition position() {
    return new StreamPosition(top, epoch);
  }

  Publication append(Publication pub, int size, long now) {
    top++;
    Publication stored = new Publication(top, epoch, pub.data(), pub.info(), pub.tags(), now);
    items.addLast(stored);
    while (items.size() > size) {
      items.removeFirst();
    }
    return stored;
  }

  void dropExpired(long now) {
    if (ttlMillis <= 0) {
      return;
    }
    long oldest = now - ttlMillis;
    while (!items.isEmpty() && items.peekFirst().time() < oldest) {
      items.removeFirst();
    }
  }

  void clear() {
    items.clear();
  }

  List<Publication> select(HistoryFilter filter) {
    int limit = filter.limit();
    if (limit == 0 || items.isEmpty()) {
      return List.of();
    }
    int max = limit < 0 ? Integer.MAX_VALUE : limit;
    long since = filter.since() == null ? -1 : filter.since().offset();
    List<Publication> out = new ArrayList<>(Math.min(max, items.size()));
    Iterator<Publication> it = filter.reverse() ? items.descendingIterator() : items.iterator();
    while (it.hasNext() && out.size() < max) {
      Publication p = it.next();
      if (since >= 0 && (filter.reverse() ? p.offset() >= since : p.offset() <= since)) {
        continue;
      }
      out.add(p);
    }
    return out;
  }
}
