package io.rotor.transport.uni;

import io.rotor.core.Disconnect;
import io.rotor.transport.DisconnectPush;
import io.rotor.transport.Transport;
import io.rotor.transport.websocket.WebSocketTransport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.UUID;

/** uni_websocket: bare pushes, one per text message; the client sends nothing after connect. */
final class UniWebSocketTransport implements Transport {

  private final ServerWebSocket ws;
  private final String session = UUID.randomUUID().toString();

  UniWebSocketTransport(ServerWebSocket ws) {
    this.ws = ws;
  }

  @Override
  public String name() {
    return "uni_websocket";
  }

  @Override
  public String session() {
    return session;
  }

  @Override
  public boolean unidirectional() {
    return true;
  }

  @Override
  public void write(byte[] frame) {
    if (ws.isClosed()) {
      return;
    }
    UniFrames.Translated t = UniFrames.translate(frame);
    for (byte[] push : t.pushes()) {
      ws.writeTextMessage(Buffer.buffer(push).toString());
    }
    if (t.end() != null) {
      close(t.end());
    }
  }

  @Override
  public boolean writeQueueFull() {
    return !ws.isClosed() && ws.writeQueueFull(); // Vert.x throws on a closed WebSocket
  }

  @Override
  public void onDrain(Runnable handler) {
    ws.drainHandler(v -> {
      ws.drainHandler(null);
      handler.run();
    });
  }

  /** The disconnect push for clients that only read messages, and the code in the close frame. */
  @Override
  public void close(Disconnect disconnect) {
    if (ws.isClosed()) {
      return;
    }
    ws.writeTextMessage(new String(DisconnectPush.bare(disconnect), java.nio.charset.StandardCharsets.UTF_8));
    ws.close((short) disconnect.code(), WebSocketTransport.closeReason(disconnect.reason()));
  }
}
