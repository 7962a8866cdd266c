package io.rotor.hooks;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The connect hook's decision, as a connect proxy's {@code result}.
 *
 * @param user the user id ("" anonymous)
 * @param expireAt unix seconds when the connection expires (0 never)
 * @param info connection info shown in presence and publications (null none)
 * @param data returned to the client in the connect reply (null none)
 * @param channels server-side subscriptions
 */
public record ConnectReply(String user, long expireAt, Buffer info, Buffer data, List<String> channels) {

  public ConnectReply {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  /** The connection belongs to {@code user}, nothing else. */
  public static ConnectReply user(String user) {
    return new ConnectReply(user, 0, null, null, List.of());
  }
}
