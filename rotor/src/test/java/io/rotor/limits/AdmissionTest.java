package io.rotor.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.RotorOptions;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code client.connection_admission_lag}: while one of the node's event loops is stuck in a long
 * turn, new WebSocket connections are answered 503 before they upgrade; once the loops keep up
 * again they are admitted.
 */
class AdmissionTest {

  private TestNode node;
  private Vertx vertx;
  private WebSocketClient wsClient;

  @BeforeEach
  void start() {
    RotorOptions o = TestNode.allTransports();
    // Far above what a busy shared machine's scheduling delays the loops by, far below the stall.
    o.getClient().setConnectionAdmissionLag(Duration.ofMillis(500));
    node = TestNode.start(o);
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    node.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private int upgradeStatus() {
    try {
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/connection/websocket").setAllowOriginHeader(false)).await(10, TimeUnit.SECONDS);
      ws.close().await(5, TimeUnit.SECONDS);
      return 101;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLoopThatFallsBehindClosesTheDoorUntilItCatchesUp() throws Exception {
    awaitAdmitted("the node did not admit a connection at the start");
    // One of the node's loops is stuck for 4 s (a storm's worth of work in one turn).
    AtomicBoolean release = new AtomicBoolean();
    CountDownLatch stuck = new CountDownLatch(1);
    ((VertxInternal) node.vertx()).nettyEventLoopGroup().next().execute(() -> {
      stuck.countDown();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      while (!release.get() && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    });
    assertTrue(stuck.await(5, TimeUnit.SECONDS));
    int refused = 0;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (refused == 0 && System.nanoTime() < until) {
      if (upgradeStatus() == 503) {
        refused++;
      }
    }
    release.set(true);
    assertEquals(1, refused, "no upgrade was refused while a loop was stuck");
    awaitAdmitted("the node did not admit connections again once its loops kept up");
  }

  /** Upgrades until one is admitted (the machine's own scheduling may delay the loops for a moment). */
  private void awaitAdmitted(String why) {
    int status = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (status != 101 && System.nanoTime() < deadline) {
      status = upgradeStatus();
    }
    assertEquals(101, status, why);
  }
}
