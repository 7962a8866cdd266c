package io.rotor.transport;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Protos;
import io.rotor.protocol.Wire;

/**
 * The {@code disconnect} push. Transports without a close code of their own (SockJS over HTTP,
 * HTTP streams, SSE, unidirectional ones) send it before closing so a terminal code still reaches
 * the client.
 */
public final class DisconnectPush {

  private DisconnectPush() {
  }

  /** The push in a wire's encoding, unframed. */
  public static byte[] encoded(Disconnect d, Wire wire) {
    return wire.push(Protos.disconnectPush(d));
  }
}
