package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;

/**
 * The publish hook's decision, as a publish proxy's {@code result}.
 *
 * @param data replaces the client's data when not null (checked against the channel's format)
 * @param skipHistory delivered to subscribers but not kept in history
 */
public record PublishReply(Buffer data, boolean skipHistory) {

  /** Published as the client sent it. */
  public static PublishReply allow() {
    return new PublishReply(null, false);
  }
}
