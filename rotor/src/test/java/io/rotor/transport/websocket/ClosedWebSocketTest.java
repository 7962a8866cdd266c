package io.rotor.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rotor.protocol.Wire;
import io.rotor.transport.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer can leave in the same event-loop turn as a flush of its queued messages, before the
 * close handler has told the Client. Vert.x throws on a closed WebSocket's writeQueueFull, and
 * that exception escaped the Hub's flush loop (the 30-minute soak logged 90 of them): the
 * transport must take a late write quietly.
 */
class ClosedWebSocketTest {

  @Test
  void aClosedWebSocketTakesLateWritesQuietly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<String> outcome = new CompletableFuture<>();
      HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
        Transport bidirectional = new WebSocketTransport(ws, Wire.JSON);
        ws.closeHandler(v -> {
          try {
            assertFalse(bidirectional.writeQueueFull(), "a peer that left has nothing backed up");
            bidirectional.write(java.util.List.of("{}".getBytes()), 2);
            outcome.complete("quiet");
          } catch (Throwable e) {
            outcome.complete(e.toString());
          }
        });
      }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      WebSocketClient client = vertx.createWebSocketClient();
      client.connect(server.actualPort(), "127.0.0.1", "/").await(10, TimeUnit.SECONDS)
          .close().await(10, TimeUnit.SECONDS);
      assertEquals("quiet", outcome.get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
