package io.rotor.transport.sockjs;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Wire;
import io.rotor.transport.DisconnectPush;
import io.rotor.transport.Transport;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.List;

/** A SockJS session carrying JSON: the messages of one turn as one SockJS message. */
final class SockJsTransport implements Transport {

  private final SockJSSocket socket;

  SockJsTransport(SockJSSocket socket) {
    this.socket = socket;
  }

  @Override
  public String name() {
    return "sockjs";
  }

  @Override
  public Wire wire() {
    return Wire.JSON;
  }

  @Override
  public void write(List<byte[]> messages, int bytes) {
    socket.write(Buffer.buffer(Wire.JSON.frame(messages, bytes)));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable handler) {
    socket.drainHandler(v -> {
      socket.drainHandler(null);
      handler.run();
    });
  }

  /**
   * Vert.x SockJS carries a close code only on its raw-websocket endpoint; every other transport
   * sends {@code c[3000,"Go away!"]}, which clients would read as "reconnect". The disconnect push
   * goes first so the real code wins on every transport. The session drops unsent messages when it
   * closes, so it closes only once the push has gone out (or the write failed).
   */
  @Override
  public void close(Disconnect disconnect) {
    socket.write(Buffer.buffer(DisconnectPush.encoded(disconnect, Wire.JSON)))
        .onComplete(ar -> socket.close(disconnect.code(), disconnect.reason()));
  }
}
