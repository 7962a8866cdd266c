package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;

/**
 * The subscribe hook's decision, as a subscribe proxy's {@code result}.
 *
 * @param info channel info of this subscriber (null none)
 * @param data returned to the client in the subscribe reply (null none)
 * @param expireAt unix seconds when the subscription expires (0 never): the client then gets 2501 and
 *     subscribes again, asking the hook again
 */
public record SubscribeReply(Buffer info, Buffer data, long expireAt) {

  /** Allowed, nothing attached. */
  public static SubscribeReply allow() {
    return new SubscribeReply(null, null, 0);
  }
}
