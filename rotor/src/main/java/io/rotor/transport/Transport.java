package io.rotor.transport;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Wire;
import java.util.List;

/**
 * What a {@code Client} needs from a connection: its wire, writing the messages of one turn, knowing
 * when the peer reads slower than we write, and closing with a disconnect code. One implementation
 * per transport; each frames the messages the way its transport carries them.
 */
public interface Transport {

  /** Transport name as Centrifugo reports it: websocket, sockjs, http_stream, sse, ... */
  String name();

  /** What this connection speaks: JSON or Protobuf, bidirectional or not. */
  Wire wire();

  /** Writes the encoded messages of one event-loop turn (at least one); {@code bytes} is their total size. */
  void write(List<byte[]> messages, int bytes);

  /** True while the transport's own write buffer is over its limit. */
  boolean writeQueueFull();

  /** Called once when the write buffer drained below its limit. */
  void onDrain(Runnable handler);

  /** Headers of the HTTP request that opened the connection (forwarded to proxies as configured). */
  default io.vertx.core.MultiMap requestHeaders() {
    return io.vertx.core.MultiMap.caseInsensitiveMultiMap();
  }

  /**
   * The session id of an emulation or unidirectional connection (sent in the connect reply or push),
   * null for transports that need none.
   */
  default String session() {
    return null;
  }

  /** Bidirectional emulation (http_stream, sse): the connect reply tells the client its node too. */
  default boolean emulation() {
    return false;
  }

  /** Server-to-client only: the client cannot answer pings, so none is expected. */
  default boolean unidirectional() {
    return wire().unidirectional();
  }

  /** Closes the connection, telling the peer why. */
  void close(Disconnect disconnect);
}
