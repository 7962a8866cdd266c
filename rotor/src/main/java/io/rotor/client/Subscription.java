package io.rotor.client;

import io.rotor.channel.ResolvedChannel;
import io.rotor.channel.SubscribeOptions;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import java.util.ArrayList;
import java.util.List;

/**
 * One channel subscription of one client, and its position in the channel's stream. While it is
 * being established, live publications are buffered so they can be merged with what history
 * returns (no gap, no duplicate, no push before the subscribe reply). Owned by {@link Subscriptions}.
 */
final class Subscription {

  final ResolvedChannel channel;
  final SubscribeOptions options;
  final ClientInfo info;
  long offset;
  String epoch = "";
  /** Unix seconds when the subscription token expires; 0 never. */
  long expireAt;
  long expiryTimer = -1;
  /** The position recovered from: the client's, or {offset 0} for auto cache recovery; null none. */
  io.rotor.core.StreamPosition recoverSince;
  /**
   * With delta compression: the offset of the publication whose data the client holds as the base
   * of the next patch, -1 before the first full payload (then the next one is sent full).
   */
  long deltaBase = -1;
  private List<Publication> buffer;

  Subscription(ResolvedChannel channel, SubscribeOptions options, ClientInfo info) {
    this.channel = channel;
    this.options = options;
    this.info = info;
    this.buffer = new ArrayList<>();
  }

  boolean establishing() {
    return buffer != null;
  }

  void buffer(Publication p) {
    buffer.add(p);
  }

  List<Publication> buffered() {
    return buffer;
  }

  /** Ends buffering and returns what was buffered. */
  List<Publication> stopBuffering() {
    List<Publication> b = buffer;
    buffer = null;
    return b;
  }

  String name() {
    return channel.name();
  }
}
