package io.rotor.transport.uni;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Wire;
import io.rotor.transport.DisconnectPush;
import io.rotor.transport.Transport;
import io.rotor.transport.websocket.WebSocketTransport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.netty.util.concurrent.EventExecutor;
import io.rotor.transport.websocket.impl.DirectWrites;
import java.util.List;
import java.util.UUID;

/** uni_websocket: bare pushes, one per text message; the client sends nothing after connect. */
final class UniWebSocketTransport implements Transport {

  private final ServerWebSocket ws;
  private final String session = UUID.randomUUID().toString();
  /** The connection's event loop: with direct writes, every write must be made on it. */
  private final EventExecutor loop;

  UniWebSocketTransport(ServerWebSocket ws) {
    this.ws = ws;
    this.loop = DirectWrites.loopOf(ws);
  }

  @Override
  public String name() {
    return "uni_websocket";
  }

  @Override
  public Wire wire() {
    return Wire.UNI_JSON;
  }

  @Override
  public String session() {
    return session;
  }

  @Override
  public void write(List<byte[]> messages, int bytes) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> write(messages, bytes));
      return;
    }
    if (ws.isClosed()) {
      return;
    }
    for (byte[] push : messages) {
      ws.writeTextMessage(Buffer.buffer(push).toString());
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
    if (!loop.inEventLoop()) {
      loop.execute(() -> close(disconnect));
      return;
    }
    if (ws.isClosed()) {
      return;
    }
    ws.writeTextMessage(Buffer.buffer(DisconnectPush.encoded(disconnect, Wire.UNI_JSON)).toString());
    ws.close((short) disconnect.code(), WebSocketTransport.closeReason(disconnect.reason()));
  }
}
