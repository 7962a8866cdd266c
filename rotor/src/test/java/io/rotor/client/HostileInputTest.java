package io.rotor.client;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.RandomFrames;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random, truncated and binary frames from many connections at once, live against a
 * node that is serving real clients. No exception escapes to Vert.x, no internal error reaches a
 * client, the event loops keep answering (a probe client's round trips stay short), and a
 * subscriber receives every publication in order.
 */
class HostileInputTest extends SharedNodeTest {

  private static final int CONNECTIONS = 20;
  private static final int FRAMES = 4000;

  private static String randomFrame(Random r) {
    String[] valid = {
        "{\"id\":1,\"connect\":{\"token\":\"" + token("fuzz") + "\"}}",
        "{\"id\":2,\"subscribe\":{\"channel\":\"fuzz\"}}\n{\"id\":3,\"publish\":{\"channel\":\"fuzz\",\"data\":{}}}",
        "{\"id\":4,\"history\":{\"channel\":\"fuzz\",\"limit\":-1,\"since\":{\"offset\":1}}}",
        "{\"id\":5,\"presence\":{\"channel\":\"$x\"}}\n{}",
    };
    String[] tokens = {"{", "}", "[", "]", "\"id\":", "1", "\"connect\":", "\"subscribe\":", ",", "\n", "null",
            "\"channel\":\"a\"", "4294967296", "-1", "{\"ping\":{}}", "\"send\":{}"};
    return RandomFrames.next(r, valid, tokens);
  }

  private static final class AtomicReferenceHolder extends java.util.concurrent.atomic.AtomicReference<Throwable> {
  }

  @Test
  void randomAndTruncatedFramesHarmNoOne() throws Exception {
    Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    node.vertx().exceptionHandler(escaped::add);
    AtomicInteger internalErrors = new AtomicInteger();

    String channel = unique("steady");
    RawClient subscriber = connected("steady-sub");
    subscriber.autoPong(true);
    subscriber.subscribe(channel);
    RawClient probe = connected("probe");
    probe.autoPong(true);

    WebSocketClient wsClient = vertx.createWebSocketClient();
    AtomicInteger sent = new AtomicInteger();
    AtomicLong maxProbeMillis = new AtomicLong();
    Random random = new Random(42);
    try {
      Thread fuzzer = new Thread(() -> {
        while (sent.get() < FRAMES) {
          WebSocket ws;
          try {
            ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
                .setURI("/connection/websocket").setAllowOriginHeader(false)).await(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError("the node stopped accepting connections", e);
          }
          ws.textMessageHandler(t -> {
            if (t.contains("\"code\":100")) {
              internalErrors.incrementAndGet();
            }
          });
          for (int i = 0; i < FRAMES / CONNECTIONS && !ws.isClosed(); i++) {
            sent.incrementAndGet();
            if (random.nextInt(10) == 0) {
              byte[] b = new byte[random.nextInt(64)];
              random.nextBytes(b);
              ws.writeBinaryMessage(Buffer.buffer(b));
            } else {
              ws.writeTextMessage(randomFrame(random));
            }
          }
          ws.close();
        }
      });
      AtomicReferenceHolder failure = new AtomicReferenceHolder();
      fuzzer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
      fuzzer.start();

      int published = 0;
      while (fuzzer.isAlive() || published < 20) {
        long start = System.nanoTime();
        assertTrue(probe.call("unsubscribe", "{\"channel\":\"nothing\"}").has("unsubscribe"));
        maxProbeMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
        api.publish(channel, "{\"n\":" + published++ + "}");
      }
      fuzzer.join();
      if (failure.get() != null) {
        throw new AssertionError("fuzzer failed", failure.get());
      }
      for (int i = 0; i < published; i++) {
        int n = i;
        subscriber.await(m -> pub(channel).test(m) && m.get("push").get("pub").get("data").get("n").asInt() == n,
            Duration.ofSeconds(5));
      }
      assertTrue(published > 0);
    } finally {
      node.vertx().exceptionHandler(null);
      wsClient.close();
    }
    assertTrue(sent.get() >= FRAMES, "frames sent: " + sent.get());
    assertEquals(List.of(), List.copyOf(escaped), "exceptions that escaped to Vert.x");
    assertEquals(0, internalErrors.get(), "internal errors answered to fuzz input");
    // Generous: a blocked event loop would hold the probe for seconds.
    assertTrue(maxProbeMillis.get() < 2000, "slowest probe round trip " + maxProbeMillis.get() + " ms");
  }
}
