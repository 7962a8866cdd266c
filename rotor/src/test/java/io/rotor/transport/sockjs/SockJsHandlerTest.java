package io.rotor.transport.sockjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.RotorOptions;
import io.rotor.testing.RawClient;
import io.rotor.testing.StreamReader;
import io.rotor.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SockJS on the wire: origin checks, terminal codes on HTTP transports, bad frames, no session leak. */
class SockJsHandlerTest {

  private static final String SESSIONS = "_vertx.sockjssessions";
  private static final AtomicInteger USERS = new AtomicInteger();

  private static TestNode node;
  private static RawClient.Api api;
  private static Vertx vertx;
  // Kept in fields: Vert.x 5 clients that become unreachable may be collected mid-request.
  private static HttpClient http;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void start() {
    RotorOptions o = TestNode.allTransports();
    o.getSockjs().setSessionTimeout(Duration.ofSeconds(1));
    // A connect post the test's HTTP client lost is sent again after a 3 s idle timeout, up to 5
    // times: the session must not be closed as stale (10 s by default) while that goes on.
    o.getClient().setStaleCloseDelay(Duration.ofSeconds(30));
    node = TestNode.start(o);
    api = new RawClient.Api(node.port());
    vertx = Vertx.vertx();
    // One connection per request: the cycles below drop their connections on purpose, and a pooled
    // keep-alive connection closed under a queued request only blurs what a test is about.
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(node.port()).setDefaultHost("127.0.0.1")
            .setKeepAlive(false),
        // Each lane holds a streaming connection and needs another for its xhr_send.
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    wsClient = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String sessionPath() {
    return "/connection/sockjs/000/" + UUID.randomUUID();
  }

  private static HttpResponse<String> xhrSend(String session, String body) {
    return StreamReader.send(StreamReader.post(node.port(), session + "/xhr_send", body).build());
  }

  private static String connectFrame(String user) {
    return "[\"{\\\"id\\\":1,\\\"connect\\\":{\\\"token\\\":\\\"" + RawClient.token(user) + "\\\"}}\"]";
  }

  @Test
  void refusesForeignOriginsOnEveryRequest() throws Exception {
    HttpResponse<String> info = StreamReader.send(StreamReader.get(node.port(), "/connection/sockjs/info")
        .header("Origin", "http://evil.example").build());
    assertEquals(403, info.statusCode());
    HttpResponse<String> allowed = StreamReader.send(StreamReader.get(node.port(), "/connection/sockjs/info")
        .header("Origin", "http://allowed.example").build());
    assertEquals(200, allowed.statusCode());
    assertEquals("http://allowed.example", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals(200, StreamReader.send(StreamReader.get(node.port(), "/connection/sockjs/info").build()).statusCode(),
        "non-browser clients send no Origin");
    assertEquals(403, StreamReader.send(StreamReader.post(node.port(), sessionPath() + "/xhr_streaming", "")
        .header("Origin", "http://evil.example").build()).statusCode());

    Throwable upgrade = wsClient.connect(new WebSocketConnectOptions().setPort(node.port()).setHost("127.0.0.1")
        .setURI(sessionPath() + "/websocket").addHeader("Origin", "http://evil.example"))
        .map(ws -> (Throwable) null).otherwise(e -> e).await(5, TimeUnit.SECONDS);
    UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, upgrade);
    assertEquals(403, rejected.getStatus());
  }

  @Test
  void iframeTransportsAreOffByDefault() {
    assertEquals(404, StreamReader.send(StreamReader.get(node.port(), "/connection/sockjs/iframe.html").build()).statusCode());
    assertEquals(404, StreamReader.send(StreamReader.get(node.port(), sessionPath() + "/htmlfile?c=cb").build()).statusCode());
    assertEquals(404, StreamReader.send(StreamReader.get(node.port(), sessionPath() + "/jsonp?c=cb").build()).statusCode());
  }

  @Test
  void terminalCodeReachesXhrStreamingAsADisconnectPushBeforeTheClose() {
    String user = "sockjs-" + USERS.incrementAndGet();
    String session = sessionPath();
    try (StreamReader s = StreamReader.open(StreamReader.post(node.port(), session + "/xhr_streaming", "").build())) {
      s.next(l -> l.equals("o"));
      assertEquals(204, xhrSend(session, connectFrame(user)).statusCode());
      s.next("connect");
      api.call("disconnect", "{\"user\":\"" + user + "\",\"disconnect\":{\"code\":3503,\"reason\":\"bye\"}}");
      String push = s.next(l -> l.startsWith("a["));
      assertTrue(push.contains("\\\"disconnect\\\":{\\\"code\\\":3503,\\\"reason\\\":\\\"bye\\\"}"), push);
      s.next(l -> l.startsWith("c["));
    }
  }

  @Test
  void terminalCodeReachesXhrPolling() {
    String user = "sockjs-" + USERS.incrementAndGet();
    String session = sessionPath();
    assertEquals("o\n", StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body());
    assertEquals(204, xhrSend(session, connectFrame(user)).statusCode());
    assertTrue(StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body().contains("connect"));
    api.call("disconnect", "{\"user\":\"" + user + "\",\"disconnect\":{\"code\":3503,\"reason\":\"bye\"}}");
    String poll = StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body();
    assertTrue(poll.contains("3503"), poll);
    assertTrue(StreamReader.send(StreamReader.post(node.port(), session + "/xhr", "").build()).body().startsWith("c["));
  }

  @Test
  void malformedFramesGetAnAnswerNotACrash() {
    String session = sessionPath();
    try (StreamReader s = StreamReader.open(StreamReader.post(node.port(), session + "/xhr_streaming", "").build())) {
      s.next(l -> l.equals("o"));
      // Not a SockJS frame: the SockJS protocol's answer is 500 "Broken JSON encoding."
      assertEquals(500, xhrSend(session, "not json").statusCode());
      // A SockJS frame that is not a protocol command: the client disconnects with 3501.
      assertEquals(204, xhrSend(session, "[\"garbage\"]").statusCode());
      assertTrue(s.next(l -> l.startsWith("a[")).contains("3501"));
    }
    assertEquals(404, xhrSend("/connection/sockjs/000/unknown-session", "[\"x\"]").statusCode());
  }

  /**
   * Thousands of sessions opened and abandoned, half after connecting: once the session timeout
   * passes, no SockJS session and no client is left.
   */
  @Test
  void abandonedSessionsAreCleanedUp() throws Exception {
    int cycles = 2000;
    int parallel = 16;
    AtomicInteger connected = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < parallel; lane++) {
      int first = lane;
      // Started on a context: from the test thread, the response handler of a lane's first cycle
      // could be set after the response had arrived, and its "o" frame was lost (see OnContext).
      lanes.add(io.rotor.testing.OnContext.call(vertx, () -> chain(first, cycles, parallel, connected)));
    }
    Future.all(lanes).await(120, TimeUnit.SECONDS);
    assertEquals(cycles / 2, connected.get(), "every connecting cycle got its connect reply");

    var sessions = node.vertx().sharedData().getLocalMap(SESSIONS);
    io.rotor.testing.Await.until("no SockJS session and no client left", 15000,
        () -> sessions.size() == 0 && node.server().node().numClients() == 0);
  }

  private static Future<Void> chain(int i, int cycles, int step, AtomicInteger connected) {
    if (i >= cycles) {
      return Future.succeededFuture();
    }
    return cycle(i % 2 == 0, connected).compose(v -> chain(i + step, cycles, step, connected));
  }

  /** Opens an xhr_streaming session, optionally connects, then drops the TCP connection. */
  private static Future<Void> cycle(boolean connect, AtomicInteger connected) {
    String session = sessionPath();
    return http.request(HttpMethod.POST, session + "/xhr_streaming").compose(req -> req.send()).compose(resp -> {
      Promise<Void> done = Promise.promise();
      StringBuilder seen = new StringBuilder();
      boolean[] sent = {false};
      resp.handler(chunk -> {
        seen.append(chunk.toString());
        if (!seen.toString().contains("\no\n") && !seen.toString().startsWith("o\n")) {
          return;
        }
        if (!connect || seen.indexOf("connect") >= 0) {
          if (connect) {
            connected.incrementAndGet();
          }
          resp.request().connection().close();
          done.tryComplete();
        } else if (!sent[0]) {
          sent[0] = true;
          sendConnect(session, 5).onFailure(done::tryFail);
        }
      });
      resp.exceptionHandler(e -> done.tryComplete());
      resp.endHandler(v -> done.tryFail(new AssertionError("stream of " + session + " ended first: " + seen)));
      // A cycle that stalls fails on its own, naming its session, rather than the whole test at 120 s.
      return done.future().timeout(30, TimeUnit.SECONDS)
          .recover(e -> Future.failedFuture(new AssertionError("cycle " + session + " stalled: " + seen, e)));
    });
  }

  /**
   * Posts the connect command. Vert.x's HTTP client can leave a request unanswered on a connection
   * it evicted ("Connection evicted" in the log, the session then closed as stale later): the post
   * gets an idle timeout, and the whole exchange a 4 s bound, and is sent again, as a browser's XHR would be retried by hand. A
   * status other than 204 fails the cycle at once.
   */
  private static Future<Void> sendConnect(String session, int attempts) {
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setURI(session + "/xhr_send")
        .setIdleTimeout(3000);
    return http.request(post)
        .compose(req -> req.send("[\"{\\\"id\\\":1,\\\"connect\\\":{}}\"]"))
        .compose(resp -> resp.statusCode() == 204 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new AssertionError("xhr_send of " + session + ": " + resp.statusCode())))
        // The idle timeout does not cover a request left on an evicted connection: bound the whole
        // exchange too.
        .timeout(4, TimeUnit.SECONDS)
        .recover(e -> e instanceof AssertionError || attempts <= 1 ? Future.failedFuture(e)
            : sendConnect(session, attempts - 1));
  }
}
