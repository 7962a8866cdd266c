package io.rotor.transport.stream;

import io.rotor.protocol.Codec;
import io.rotor.core.Disconnect;
import io.rotor.transport.DisconnectPush;
import io.rotor.transport.Transport;
import io.rotor.transport.uni.UniFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A connection whose server-to-client half is one long HTTP response: HTTP-streaming (one JSON
 * message per line) or Server-Sent Events (one message per {@code data:} event). Used by the
 * emulation transports and, translating to bare pushes, by the unidirectional ones.
 */
final class StreamTransport implements Transport {

  private static final byte[] SSE_DATA = "data: ".getBytes();
  private static final byte[] SSE_END = "\n\n".getBytes();

  private final HttpServerResponse response;
  private final StreamEndpoint.Kind kind;
  private final String session;
  private final Codec codec;
  private final Runnable ending;

  /** {@code ending} runs when the server ends the stream, before its last bytes are written. */
  StreamTransport(HttpServerResponse response, StreamEndpoint.Kind kind, String session, Codec codec,
      Runnable ending) {
    this.response = response;
    this.kind = kind;
    this.session = session;
    this.codec = codec;
    this.ending = ending;
  }

  @Override
  public Codec codec() {
    return codec;
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
  public boolean unidirectional() {
    return kind.unidirectional();
  }

  @Override
  public void write(byte[] frame) {
    if (response.ended()) {
      return;
    }
    if (codec.binary()) {
      // Varint-delimited messages: the frame goes on the stream as it is.
      response.write(Buffer.buffer(frame));
      return;
    }
    if (!kind.unidirectional()) {
      response.write(encode(List.of(frame)));
      return;
    }
    UniFrames.Translated t = UniFrames.translate(frame);
    if (!t.pushes().isEmpty()) {
      response.write(encode(t.pushes()));
    }
    if (t.end() != null) {
      close(t.end());
    }
  }

  /**
   * Lines: the frame's messages are already newline-joined, and every message must end with one.
   * Events: a {@code data:} line cannot hold a newline, so each message is its own event.
   */
  private Buffer encode(List<byte[]> messages) {
    Buffer out = Buffer.buffer();
    for (byte[] m : messages) {
      if (kind.events()) {
        int start = 0;
        for (int i = 0; i <= m.length; i++) {
          if (i == m.length || m[i] == '\n') {
            out.appendBytes(SSE_DATA).appendBytes(m, start, i - start).appendBytes(SSE_END);
            start = i + 1;
          }
        }
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
    if (codec.binary()) {
      byte[] push = DisconnectPush.wrapped(disconnect, codec);
      response.end(Buffer.buffer(codec.frame(List.of(push), push.length)));
      return;
    }
    byte[] push = kind.unidirectional() ? DisconnectPush.bare(disconnect) : DisconnectPush.wrapped(disconnect);
    response.end(encode(List.of(push)));
  }
}
