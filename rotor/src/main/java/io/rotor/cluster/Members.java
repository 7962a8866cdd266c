package io.rotor.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes that are ready to serve (they answered or sent a hello), this one included, and who
 * owns a channel among them: rendezvous hashing, so when a node joins or leaves only the channels
 * it wins or held change owner.
 */
final class Members {

  private final String self;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();

  Members(String self) {
    this.self = self;
    ids.add(self);
  }

  String self() {
    return self;
  }

  boolean add(String id) {
    return ids.add(id);
  }

  boolean remove(String id) {
    return !id.equals(self) && ids.remove(id);
  }

  List<String> all() {
    return List.copyOf(ids);
  }

  List<String> others() {
    return ids.stream().filter(id -> !id.equals(self)).toList();
  }

  String owner(String channel) {
    String best = self;
    long bestScore = Long.MIN_VALUE;
    for (String id : ids) {
      long score = score(id, channel);
      if (score > bestScore || score == bestScore && id.compareTo(best) < 0) {
        best = id;
        bestScore = score;
      }
    }
    return best;
  }

  boolean owns(String channel) {
    return owner(channel).equals(self);
  }

  /** FNV-1a over member and channel, then a 64-bit finalizer so scores spread well. */
  static long score(String member, String channel) {
    long h = 0xcbf29ce484222325L;
    for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0xff) * 0x100000001b3L;
    for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
