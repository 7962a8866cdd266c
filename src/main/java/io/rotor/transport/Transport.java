package io.rotor.transport;

import io.rotor.core.Disconnect;

/**
 * What a {@code Client} needs from a connection: write one frame, know when the peer reads slower
 * than we write, and close with a disconnect code. One implementation per transport.
 */
public interface Transport {

  /** Transport name as Centrifugo reports it: websocket, sockjs, http_stream, sse, ... */
  String name();

  /** The connection's encoding (JSON unless the peer negotiated Protobuf). */
  default io.rotor.protocol.Codec codec() {
    return io.rotor.protocol.Codec.JSON;
  }

  /** Writes one transport frame, framed by {@link #codec()}. */
  void write(byte[] frame);

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
    return false;
  }

  /** Closes the connection, telling the peer why. */
  void close(io.rotor.core.Disconnect disconnect);
}
