package io.rotor.node;

import io.rotor.channel.ResolvedChannel;
import io.rotor.channel.SubscribeOptions;
import io.rotor.core.Disconnect;
import io.rotor.core.Unsubscribe;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * A connected client as the node and the server API act on it. Every method but the getters must
 * be called on the connection's {@link #context()}.
 */
public interface Connection {

  String id();

  String user();

  /** The transport name: websocket, sockjs, http_stream, ... */
  String transportName();

  /** The event loop the connection lives on. */
  Context context();

  /** Closes the connection, telling the client why. */
  void close(Disconnect disconnect);

  /** Unsubscribes the client and tells it with an {@code unsubscribe} push. */
  void serverUnsubscribe(String channel, Unsubscribe why);

  /**
   * Subscribes the client on the server's initiative and announces it with a {@code subscribe} push;
   * {@code expireAt} (unix seconds, 0 never) ends it as an expired server-side subscription (3006).
   */
  Future<Void> serverSubscribe(ResolvedChannel channel, SubscribeOptions options, long expireAt);

  /** Server API refresh: a new expiry, new info, or expire now. */
  void serverRefresh(boolean expired, long newExpireAt, byte[] newInfo);
}
