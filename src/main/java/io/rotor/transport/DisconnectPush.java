package io.rotor.transport;

import io.rotor.protocol.Codec;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;

/**
 * The {@code disconnect} push. Transports without a close code of their own (SockJS over HTTP,
 * HTTP streams, SSE) send it before closing so a terminal code still reaches the client.
 */
public final class DisconnectPush {

  private DisconnectPush() {
  }

  /** {@code {"push":{"disconnect":{"code":N,"reason":"..."}}}}: for bidirectional transports. */
  public static byte[] wrapped(Disconnect d) {
    return JsonCodec.push("", "disconnect", body(d));
  }

  /** The same push in a connection's own encoding (a Protobuf Reply holding a Push, unframed). */
  public static byte[] wrapped(Disconnect d, Codec codec) {
    return codec.push("", "disconnect", body(d));
  }

  /** {@code {"disconnect":{...}}}: the bare Push of unidirectional transports. */
  public static byte[] bare(Disconnect d) {
    return JsonCodec.toBytes(JsonCodec.object().set("disconnect", body(d)));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode body(Disconnect d) {
    return JsonCodec.object().put("code", d.code()).put("reason", d.reason() == null ? "" : d.reason());
  }
}
