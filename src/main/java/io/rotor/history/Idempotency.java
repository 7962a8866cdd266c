package io.rotor.history;

import io.rotor.core.Publication;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Publish-once keys for the consumers: a publication carrying a key is appended to its channel's
 * stream only if no publication with the same key was appended in the last {@link #TTL}; otherwise
 * the first one's position is returned and nothing is fanned out. The check and the append happen
 * in one step where the channel is sequenced (the history sequencer's context in memory, the append
 * script in Redis), which is what makes a command re-run after a crash harmless.
 *
 * <p>The key rides in the publication's tags under {@link #TAG}, a name no client can send (the server
 * API drops it from callers' tags), so it crosses the cluster to the channel's owner with the
 * publication; the sequencer removes it before anything is stored or delivered. Only channels with
 * history are sequenced: elsewhere there is nothing to check against.
 */
public final class Idempotency {

  /** The reserved tag name; the NUL keeps it out of reach of anything a client could write. */
  public static final String TAG = "\u0000rotor-publish-once";
  /** How long a key is remembered: far longer than any redelivery after a crash. */
  public static final Duration TTL = Duration.ofMinutes(5);

  private Idempotency() {
  }

  /** The key of a publication, or null. */
  static String key(Publication p) {
    return p.tags() == null ? null : p.tags().get(TAG);
  }

  /** The publication without the reserved tag (tags become null when nothing else is left). */
  static Publication strip(Publication p) {
    Map<String, String> tags = new HashMap<>(p.tags());
    tags.remove(TAG);
    return new Publication(p.offset(), p.epoch(), p.data(), p.info(), tags.isEmpty() ? null : tags, p.time());
  }

  /** Tags as a caller gave them, without the reserved one (callers cannot set it). */
  public static Map<String, String> withoutKey(Map<String, String> tags) {
    if (tags == null || !tags.containsKey(TAG)) {
      return tags;
    }
    Map<String, String> copy = new HashMap<>(tags);
    copy.remove(TAG);
    return copy.isEmpty() ? null : copy;
  }

  /** Tags carrying a key. */
  public static Map<String, String> withKey(Map<String, String> tags, String key) {
    Map<String, String> copy = tags == null ? new HashMap<>() : new HashMap<>(tags);
    copy.put(TAG, key);
    return copy;
  }

  /** What an append did: the position, and whether it was a repeat of an earlier one with the same key. */
  public record Appended(io.rotor.core.StreamPosition position, boolean repeated) {
  }
}
