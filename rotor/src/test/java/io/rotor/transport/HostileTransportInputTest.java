package io.rotor.transport;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.RotorOptions;
import io.rotor.testing.RandomFrames;
import io.rotor.testing.RawClient;
import io.rotor.testing.StreamReader;
import io.rotor.testing.TestNode;
import io.rotor.transport.emulation.EmulationSessions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random, truncated, oversized and mistyped requests against the entry points beside WebSocket
 * (SockJS xhr_send on open and unknown sessions, the emulation and uni stream connects,
 * {@code /emulation}, uni_websocket), live while real clients are served. Every request gets one
 * of its endpoint's documented answers; no exception escapes to Vert.x; afterwards no client,
 * emulation session, SockJS session or connection slot is left; the event loops keep answering
 * and a subscriber receives every publication in order.
 */
class HostileTransportInputTest {

  private static final int REQUESTS_PER_LANE = 150;
  private static final int BODY_LIMIT = 4096;
  private static final String[] CONTENT_TYPES = {null, "application/json", "text/plain",
      "application/octet-stream", "application/x-www-form-urlencoded", "garbage/;;;", "application/json; charset=latin1"};

  private static TestNode node;
  private static RawClient.Api api;
  private static Vertx vertx;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void start() {
    RotorOptions o = TestNode.allTransports();
    o.getSockjs().setSessionTimeout(Duration.ofSeconds(1));
    o.getWebsocket().setMessageSizeLimit(BODY_LIMIT);
    o.getHttpStream().setMaxRequestBodySize(BODY_LIMIT);
    o.getSse().setMaxRequestBodySize(BODY_LIMIT);
    o.getUniHttpStream().setMaxRequestBodySize(BODY_LIMIT);
    o.getUniSse().setMaxRequestBodySize(BODY_LIMIT);
    o.getEmulation().setMaxRequestBodySize(BODY_LIMIT);
    o.getUniWebsocket().setMessageSizeLimit(BODY_LIMIT);
    node = TestNode.start(o);
    api = new RawClient.Api(node.port());
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Random bytes, JSON-like token soup, truncated valid requests, or an oversized body. */
  private static String randomBody(Random r) {
    String[] valid = {
        "{\"token\":\"" + token("fuzz") + "\"}",
        "{\"id\":1,\"connect\":{\"token\":\"" + token("fuzz") + "\"}}",
        "[\"{\\\"id\\\":1,\\\"connect\\\":{}}\"]",
        "{\"session\":\"s\",\"node\":\"n\",\"data\":\"{\\\"id\\\":2,\\\"subscribe\\\":{\\\"channel\\\":\\\"x\\\"}}\"}",
    };
    String[] tokens = {"{", "}", "[", "]", "\"", "\\\"", ":", ",", "\n", "null", "\"id\":", "\"connect\":",
            "\"token\":", "\"session\":", "\"node\":", "\"data\":", "\"subs\":", "1", "-1", "1e400", "\"\\ud800\""};
    if (r.nextInt(5) == 0) {
      return "{\"data\":\"" + "x".repeat(BODY_LIMIT + r.nextInt(1000)) + "\"}";
    }
    return RandomFrames.next(r, valid, tokens);
  }

  /**
   * One request on its own TCP connection ({@code Connection: close}), answered with the status
   * line's code; an opened stream is dropped once its status arrived. A connection the node drops
   * without answering is a failure of the test.
   */
  private static int request(String method, String target, String body, Random r) {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1);
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    String type = CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
    if (type != null) {
      head.append("Content-Type: ").append(type).append("\r\n");
    }
    head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      try {
        out.write(payload);
        out.flush();
      } catch (IOException e) {
        // The node may answer (413) and close before an oversized body is sent: read the answer.
      }
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
      // Vert.x answers an over-long request line with HTTP/1.0 414 and closes.
      if (status == null || !status.startsWith("HTTP/1.")) {
        throw new AssertionError(method + " " + shortened(target) + ": no answer (" + status + ")");
      }
      return Integer.parseInt(status.substring(9, 12));
    } catch (IOException e) {
      throw new AssertionError(method + " " + shortened(target) + ": connection failed", e);
    }
  }

  private static String shortened(String target) {
    return target.length() > 100 ? target.substring(0, 100) + "..." : target;
  }

  private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();

  private void expect(String endpoint, int status, Set<Integer> allowed) {
    answers.computeIfAbsent(endpoint + " " + status, k -> new AtomicInteger()).incrementAndGet();
    if (!allowed.contains(status)) {
      unexpected.add(endpoint + " answered " + status);
    }
  }

  private void sockjsLane(Random r) {
    for (int i = 0; i < REQUESTS_PER_LANE; i++) {
      String session = "/connection/sockjs/000/" + UUID.randomUUID();
      if (r.nextBoolean()) {
        // An open xhr-polling session; SockJS answers a body that is no SockJS frame with 500.
        assertEquals("o\n", StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body());
      }
      expect("xhr_send", request("POST", session + "/xhr_send", randomBody(r), r), Set.of(204, 400, 404, 413, 500));
    }
  }

  private void emulationLane(Random r) {
    for (int i = 0; i < REQUESTS_PER_LANE; i++) {
      String body = randomBody(r);
      switch (r.nextInt(6)) {
        case 0 -> expect("/emulation", request("POST", "/emulation", body, r), Set.of(204, 400, 404, 413));
        case 1 -> expect("http_stream", request("POST", "/connection/http_stream", body, r), Set.of(200, 400, 413));
        case 2 -> expect("sse", request("POST", "/connection/sse", body, r), Set.of(200, 400, 413));
        case 3 -> expect("uni_http_stream", request("POST", "/connection/uni_http_stream", body, r), Set.of(200, 400, 413));
        case 4 -> expect("uni_sse POST", request("POST", "/connection/uni_sse", body, r), Set.of(200, 400, 413));
        default -> expect("uni_sse GET", request("GET", "/connection/uni_sse?cf_connect="
            + URLEncoder.encode(body, StandardCharsets.UTF_8), null, r), Set.of(200, 400, 413, 414, 431));
      }
    }
  }

  private void uniWebSocketLane(Random r) {
    for (int i = 0; i < REQUESTS_PER_LANE / 3; i++) {
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/connection/uni_websocket").setAllowOriginHeader(false)).await();
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger closeCode = new AtomicInteger();
      ws.textMessageHandler(t -> answered.incrementAndGet());
      ws.closeHandler(v -> {
        Short c = ws.isClosed() ? ws.closeStatusCode() : null;
        closeCode.set(c == null ? 0 : c);
        answered.incrementAndGet();
      });
      ws.writeTextMessage(randomBody(r));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (answered.get() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      expect("uni_websocket", answered.get() > 0 ? closeCode.get() : -1, Set.of(0, 1009, 3500, 3501));
      ws.close();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    io.rotor.testing.Await.until(what, 20_000, condition);
  }

  @Test
  void randomRequestsOnEveryEntryPointHarmNoOne() throws Exception {
    Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    node.vertx().exceptionHandler(escaped::add);
    String channel = "steady-" + UUID.randomUUID();
    RawClient subscriber = RawClient.open(vertx, node.port()).autoPong(true);
    RawClient probe = RawClient.open(vertx, node.port()).autoPong(true);
    try {
      subscriber.connect(token("steady"));
      subscriber.subscribe(channel);
      probe.connect(token("probe"));
      int baselineClients = node.server().node().numClients();
      int baselineSlots = node.server().node().connectionLimiter().open();

      List<Thread> lanes = new ArrayList<>();
      Queue<Throwable> laneFailures = new ConcurrentLinkedQueue<>();
      long seed = 42;
      for (Runnable lane : List.<Runnable>of(() -> sockjsLane(new Random(seed)), () -> emulationLane(new Random(seed + 1)),
          () -> emulationLane(new Random(seed + 2)), () -> uniWebSocketLane(new Random(seed + 3)))) {
        Thread t = new Thread(lane, "fuzz-lane");
        t.setUncaughtExceptionHandler((th, e) -> laneFailures.add(e));
        lanes.add(t);
        t.start();
      }
      AtomicLong maxProbeMillis = new AtomicLong();
      int published = 0;
      while (lanes.stream().anyMatch(Thread::isAlive) || published < 20) {
        long start = System.nanoTime();
        assertTrue(probe.call("unsubscribe", "{\"channel\":\"nothing\"}").has("unsubscribe"));
        maxProbeMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
        api.publish(channel, "{\"n\":" + published++ + "}");
      }
      for (Thread t : lanes) {
        t.join();
      }
      if (!laneFailures.isEmpty()) {
        throw new AssertionError("a fuzz lane failed", laneFailures.peek());
      }
      for (int i = 0; i < published; i++) {
        int n = i;
        subscriber.await(m -> pub(channel).test(m) && m.get("push").get("pub").get("data").get("n").asInt() == n,
            Duration.ofSeconds(5));
      }
      assertEquals(List.of(), List.copyOf(unexpected), "answers outside the documented ones; all answers: " + answers);
      assertEquals(List.of(), List.copyOf(escaped), "exceptions that escaped to Vert.x");
      assertTrue(maxProbeMillis.get() < 2000, "slowest probe round trip " + maxProbeMillis.get() + " ms");

      var sockjsSessions = node.vertx().sharedData().getLocalMap("_vertx.sockjssessions");
      EmulationSessions emulation = node.server().sessions().emulation();
      await("clients left: " + node.server().node().numClients(), () -> node.server().node().numClients() == baselineClients);
      await("emulation sessions left: " + emulation.size(), () -> emulation.size() == 0);
      await("SockJS sessions left: " + sockjsSessions.size(), () -> sockjsSessions.size() == 0);
      await("connection slots left: " + node.server().node().connectionLimiter().open(),
          () -> node.server().node().connectionLimiter().open() == baselineSlots);
    } finally {
      node.vertx().exceptionHandler(null);
      subscriber.close();
      probe.close();
    }
  }
}
