package io.rotor.cluster;

import java.util.Collection;

/** Which node owns a channel, for fault tests that must break the owner (or spare it). */
final class ChannelOwners {

  private ChannelOwners() {
  }

  /** Who owns a channel among these node ids (rendezvous hashing, as {@link Members} does). */
  static String owner(Collection<String> ids, String channel) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    for (String id : ids) {
      long score = Members.score(id, channel);
      if (best == null || score > bestScore || score == bestScore && id.compareTo(best) < 0) {
        best = id;
        bestScore = score;
      }
    }
    return best;
  }

  /** The first channel {@code prefix + k} that node {@code owner} owns among the nodes {@code ids}. */
  static String channelOwnedBy(String prefix, String owner, Collection<String> ids) {
    for (int k = 0; ; k++) {
      if (owner(ids, prefix + k).equals(owner)) {
        return prefix + k;
      }
    }
  }
}
