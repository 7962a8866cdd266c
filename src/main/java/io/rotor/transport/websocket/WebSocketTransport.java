package io.rotor.transport.websocket;

import io.rotor.protocol.Disconnect;
import io.rotor.transport.Transport;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/** A bidirectional WebSocket connection carrying JSON text frames. */
final class WebSocketTransport implements Transport {

  private final ServerWebSocket ws;

  WebSocketTransport(ServerWebSocket ws) {
    this.ws = ws;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void write(byte[] frame) {
    // A text frame straight from the encoded UTF-8 bytes: no String round trip on the hot path.
    ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame, true));
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
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
    ws.close((short) disconnect.code(), disconnect.reason());
  }
}
