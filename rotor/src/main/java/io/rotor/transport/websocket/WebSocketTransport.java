package io.rotor.transport.websocket;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Wire;
import io.rotor.transport.Transport;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.netty.util.concurrent.EventExecutor;
import io.rotor.transport.websocket.impl.DirectWrites;
// Internal: the public API makes a text frame only from a String. Building it from the encoded
// bytes saves a decode and re-encode of every outgoing JSON frame (S1's per-delivery cost).
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A bidirectional WebSocket connection: JSON text frames or Protobuf binary frames. */
public final class WebSocketTransport implements Transport {

  private static final int MAX_REASON_BYTES = 123;

  private final ServerWebSocket ws;
  private final Wire wire;
  private final WebSocketFrameType frameType;
  /** The connection's event loop: with direct writes, every write must be made on it. */
  private final EventExecutor loop;

  WebSocketTransport(ServerWebSocket ws, Wire wire) {
    this.ws = ws;
    this.wire = wire;
    this.frameType = wire.binary() ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT;
    this.loop = DirectWrites.loopOf(ws);
  }

  @Override
  public Wire wire() {
    return wire;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public io.vertx.core.MultiMap requestHeaders() {
    return ws.headers();
  }

  @Override
  public void write(List<byte[]> messages, int bytes) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> write(messages, bytes)); // Rotor writes on the loop; this keeps it so
      return;
    }
    if (ws.isClosed()) {
      return; // the peer left in this turn, before the close handler told the Client
    }
    // One frame for the turn, straight from the encoded bytes (text for JSON): no String round trip.
    ws.writeFrame(new WebSocketFrameImpl(frameType, wire.frame(messages, bytes), true));
  }

  @Override
  public boolean writeQueueFull() {
    // Vert.x throws on a closed WebSocket; a peer that left has nothing to back up.
    return !ws.isClosed() && ws.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable handler) {
    ws.drainHandler(v -> {
      ws.drainHandler(null);
      handler.run();
    });
  }

  @Override
  public void close(Disconnect disconnect) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> close(disconnect));
      return;
    }
    ws.close((short) disconnect.code(), closeReason(disconnect.reason()));
  }

  /** A close frame's reason must fit in 123 bytes of UTF-8; API callers may pass longer ones. */
  public static String closeReason(String reason) {
    if (reason == null) {
      return "";
    }
    byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = new String(utf8, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
    // Drop a character split by the cut (decoded as U+FFFD, three bytes).
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES || cut.endsWith("\uFFFD")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }
}
