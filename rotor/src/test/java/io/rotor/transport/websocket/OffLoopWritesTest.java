package io.rotor.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.protocol.Wire;
import io.rotor.transport.websocket.impl.DirectWrites;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With direct writes a WebSocket must be written on its own event loop (Vert.x's write path asserts
 * it, and races without the assertion). The transport hops there itself: writes and a close made
 * from another thread arrive whole and in order.
 */
class OffLoopWritesTest {

  private static final int FRAMES = 1000;

  @Test
  void writesAndCloseFromAnotherThreadKeepOrder() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<WebSocketTransport> transport = new CompletableFuture<>();
      HttpServer server = vertx.createHttpServer()
          .webSocketHandler(ws -> transport.complete(new WebSocketTransport(DirectWrites.install(ws), Wire.JSON)))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      List<String> received = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch all = new CountDownLatch(FRAMES);
      CompletableFuture<Short> closed = new CompletableFuture<>();
      WebSocket client = vertx.createWebSocketClient().connect(server.actualPort(), "127.0.0.1", "/")
          .await(10, TimeUnit.SECONDS);
      client.textMessageHandler(m -> {
        received.add(m);
        all.countDown();
      });
      client.closeHandler(v -> closed.complete(client.closeStatusCode()));
      WebSocketTransport t = transport.get(10, TimeUnit.SECONDS);
      assertTrue(Vertx.currentContext() == null, "the test thread is no event loop");
      for (int i = 0; i < FRAMES; i++) {
        byte[] m = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        t.write(List.of(m), m.length);
      }
      t.close(io.rotor.core.Disconnect.SHUTDOWN);
      assertTrue(all.await(30, TimeUnit.SECONDS), "received " + received.size());
      for (int i = 0; i < FRAMES; i++) {
        assertEquals("{\"n\":" + i + "}", received.get(i));
      }
      assertEquals((short) io.rotor.core.Disconnect.SHUTDOWN.code(), closed.get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
