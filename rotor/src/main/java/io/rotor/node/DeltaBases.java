package io.rotor.node;

import io.rotor.core.Publication;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base of the next delta per channel: the last publication this node fanned out, kept only
 * for channels with local subscribers that negotiated delta compression (centrifuge gets the same
 * from its broker as prev_data). A publication is sent as a patch only against its direct
 * predecessor in the stream (offset - 1, same epoch): anything missed or reordered on the way here
 * makes the next one full, never a wrong patch.
 */
final class DeltaBases {

  private record Entry(int subscribers, Publication last) {
  }

  private final Map<String, Entry> channels = new ConcurrentHashMap<>();

  void addSubscriber(String channel) {
    channels.compute(channel, (c, e) -> e == null ? new Entry(1, null) : new Entry(e.subscribers() + 1, e.last()));
  }

  void removeSubscriber(String channel) {
    channels.computeIfPresent(channel, (c, e) -> e.subscribers() > 1 ? new Entry(e.subscribers() - 1, e.last()) : null);
  }

  /**
   * Offers a publication read from history (a subscriber's recovery) as the channel's last one, so
   * that the next live publication can already be a patch; an older one than known is ignored.
   */
  void seed(String channel, Publication pub) {
    channels.computeIfPresent(channel,
        (c, e) -> e.last() != null && e.last().offset() >= pub.offset() ? e : new Entry(e.subscribers(), pub));
  }

  /**
   * Records a publication as the channel's last one and returns the data it may be a delta
   * against, or null: no delta subscriber here, not marked delta, no direct predecessor seen.
   */
  byte[] advance(String channel, Publication pub) {
    if (pub.offset() == 0) {
      return null;
    }
    Entry[] before = new Entry[1];
    channels.computeIfPresent(channel, (c, e) -> {
      before[0] = e;
      return e.last() != null && e.last().offset() >= pub.offset() ? e : new Entry(e.subscribers(), pub);
    });
    Publication last = before[0] == null ? null : before[0].last();
    if (last == null || !pub.delta() || last.offset() != pub.offset() - 1 || !Objects.equals(last.epoch(), pub.epoch())
        || last.data() == null || pub.data() == null) {
      return null;
    }
    return last.data();
  }

  int channels() {
    return channels.size();
  }
}
