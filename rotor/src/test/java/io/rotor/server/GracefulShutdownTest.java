package io.rotor.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.NodeProcess;
import io.rotor.testing.RawClient;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real SIGTERM to a real node process: clients get 3001 and the process exits within shutdown.timeout. */
class GracefulShutdownTest {

  @Test
  void sigtermDisconnectsClientsWith3001AndExits() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NodeProcess node = NodeProcess.start(RawClient.config("{\"shutdown\": {\"timeout\": \"5s\"}}"), List.of(), Map.of())) {
      String listening = node.awaitLine("listening on", 60);
      Matcher m = Pattern.compile(":(\\d+)$").matcher(listening.trim());
      assertTrue(m.find(), listening);
      int port = Integer.parseInt(m.group(1));

      node.awaitReady(port, 60);
      RawClient a = RawClient.open(vertx, port);
      a.connect(RawClient.token("shutdown-a"));
      a.subscribe("before-shutdown");
      RawClient b = RawClient.open(vertx, port);
      b.connect(RawClient.token("shutdown-b"));

      long start = System.nanoTime();
      node.terminate();
      assertEquals(3001, a.awaitClose().code());
      assertEquals(3001, b.awaitClose().code());
      int exit = node.awaitExit(10);
      long ms = (System.nanoTime() - start) / 1_000_000;
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
      assertEquals(143, exit, node.output());
      assertTrue(ms < 5000, "shutdown took " + ms + " ms");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
