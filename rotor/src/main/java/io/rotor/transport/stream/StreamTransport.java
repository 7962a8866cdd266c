package io.rotor.transport.stream;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Wire;
import io.rotor.transport.DisconnectPush;
import io.rotor.transport.Transport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A connection whose server-to-client half is one long HTTP response: HTTP-streaming (one JSON
 * message per line, or varint-delimited Protobuf) or Server-Sent Events (one message per
 * {@code data:} event). Used by the emulation transports and, on the unidirectional wire, by the
 * unidirectional ones.
 */
final class StreamTransport implements Transport {

  private static final byte[] SSE_DATA = "data: ".getBytes();
  private static final byte[] SSE_END = "\n\n".getBytes();

  private final HttpServerResponse response;
  private final StreamEndpoint.Kind kind;
  private final String session;
  private final Wire wire;
  private final Runnable ending;

  /** {@code ending} runs when the server ends the stream, before its last bytes are written. */
  StreamTransport(HttpServerResponse response, StreamEndpoint.Kind kind, String session, Wire wire,
      Runnable ending) {
    this.response = response;
    this.kind = kind;
    this.session = session;
    this.wire = wire;
    this.ending = ending;
  }

  @Override
  public Wire wire() {
    return wire;
  }

  @Override
  public String name() {
    return kind.transportName();
  }

  @Override
  public String session() {
    return session;
  }

  @Override
  public boolean emulation() {
    return !kind.unidirectional();
  }

  @Override
  public void write(List<byte[]> messages, int bytes) {
    if (response.ended()) {
      return;
    }
    response.write(encode(messages, bytes));
  }

  /**
   * Protobuf: varint-delimited messages, as they are. Lines: every message ends with a newline.
   * Events: a {@code data:} line cannot hold a newline (JSON messages never do), so each message is
   * its own event.
   */
  private Buffer encode(List<byte[]> messages, int bytes) {
    if (wire.binary()) {
      return Buffer.buffer(wire.frame(messages, bytes));
    }
    Buffer out = Buffer.buffer(bytes + messages.size() * (kind.events() ? SSE_DATA.length + SSE_END.length : 1));
    for (byte[] m : messages) {
      if (kind.events()) {
        out.appendBytes(SSE_DATA).appendBytes(m).appendBytes(SSE_END);
      } else {
        out.appendBytes(m).appendByte((byte) '\n');
      }
    }
    return out;
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable handler) {
    response.drainHandler(v -> {
      response.drainHandler(null);
      handler.run();
    });
  }

  /** A stream has no close code: the disconnect push tells the client why, then the stream ends. */
  @Override
  public void close(Disconnect disconnect) {
    if (response.ended()) {
      return;
    }
    ending.run();
    byte[] push = DisconnectPush.encoded(disconnect, wire);
    response.end(encode(List.of(push), push.length));
  }
}
