package io.rotor.transport.websocket.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket write path Rotor installs over Vert.x's cross-thread queue, on real sockets: it must
 * be installed (this Vert.x has the internals; a version that does not fails here, not silently in
 * production), unwrap Vert.x Web's wrapper, keep every frame in order, and keep back-pressure:
 * {@code writeQueueFull} once the peer stops reading, the drain handler once it reads again.
 */
class DirectWritesTest {

  private static final int FRAMES = 20_000;
  private static final String PAYLOAD = "x".repeat(1000);

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void vertxHasTheInternalsItReliesOn() {
    assertTrue(DirectWrites.available(), "the Vert.x internals changed: see DirectWrites");
  }

  @Test
  void aRoutedWebSocketWritesDirectlyInOrderWithBackPressure() throws Exception {
    CompletableFuture<String> installed = new CompletableFuture<>();
    CompletableFuture<Void> sawFull = new CompletableFuture<>();
    CompletableFuture<Integer> drains = new CompletableFuture<>();
    Router router = Router.router(vertx);
    router.route("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(upgraded -> {
      ServerWebSocket ws = DirectWrites.install(upgraded);
      installed.complete(describe(upgraded, ws));
      ws.setWriteQueueMaxSize(64 * 1024);
      ws.textMessageHandler(go -> new Sender(ws, sawFull, drains).send()); // once the client listens
    }));
    HttpServer server = vertx.createHttpServer().requestHandler(router)
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

    List<Integer> received = new ArrayList<>();
    CountDownLatch all = new CountDownLatch(1);
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = client.connect(server.actualPort(), "127.0.0.1", "/ws").await(10, TimeUnit.SECONDS);
    ws.pause(); // a peer that stops reading: the node's writes must back up, not pile up unbounded
    ws.textMessageHandler(m -> {
      received.add(Integer.parseInt(m.substring(0, m.indexOf(' '))));
      if (received.size() == FRAMES) {
        all.countDown();
      }
    });
    ws.writeTextMessage("go");
    assertEquals("direct, unwrapped", installed.get(10, TimeUnit.SECONDS));
    sawFull.get(30, TimeUnit.SECONDS);
    ws.resume();
    assertTrue(all.await(60, TimeUnit.SECONDS), "received " + received.size() + " of " + FRAMES);
    for (int i = 0; i < FRAMES; i++) {
      assertEquals(i, received.get(i), "frame order");
    }
    assertTrue(drains.get(10, TimeUnit.SECONDS) >= 1, "the drain handler ran");
  }

  private static String describe(ServerWebSocket upgraded, ServerWebSocket ws) {
    try {
      Field conn = Class.forName("io.vertx.core.http.impl.WebSocketImplBase").getDeclaredField("conn");
      conn.setAccessible(true);
      Field queue = Class.forName("io.vertx.core.net.impl.VertxConnection").getDeclaredField("outboundMessageQueue");
      queue.setAccessible(true);
      Object q = queue.get(conn.get(ws));
      return (q.getClass().getSimpleName().equals("DirectOutboundMessageQueue") ? "direct" : q.getClass().getName())
          + ", " + (ws != upgraded && !ws.getClass().getName().contains("Wrapper") ? "unwrapped" : "wrapped");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return e.toString();
    }
  }

  /** Writes FRAMES numbered frames as a Rotor client does: stop on a full queue, go on when drained. */
  private static final class Sender {
    private final ServerWebSocket ws;
    private final CompletableFuture<Void> sawFull;
    private final CompletableFuture<Integer> drains;
    private int next;
    private int drained;

    Sender(ServerWebSocket ws, CompletableFuture<Void> sawFull, CompletableFuture<Integer> drains) {
      this.ws = ws;
      this.sawFull = sawFull;
      this.drains = drains;
    }

    void send() {
      while (next < FRAMES) {
        ws.writeTextMessage(next++ + " " + PAYLOAD);
        if (ws.writeQueueFull()) {
          sawFull.complete(null);
          ws.drainHandler(v -> {
            ws.drainHandler(null);
            drained++;
            send();
          });
          return;
        }
      }
      drains.complete(drained);
    }
  }
}
