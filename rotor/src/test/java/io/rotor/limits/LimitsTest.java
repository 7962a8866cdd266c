package io.rotor.limits;

import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Node and connection limits, each seen from the client side. */
class LimitsTest extends SharedNodeTest {

  /** The HTTP status of a WebSocket upgrade: 101 when it succeeded (the socket is kept open). */
  private int upgradeStatus(TestNode n) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(n.port())
          .setURI("/connection/websocket").setAllowOriginHeader(false)).await(5, TimeUnit.SECONDS);
      return 101;
    } catch (UpgradeRejectedException e) {
      client.close();
      return e.getStatus();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void awaitOpenConnections(TestNode n, int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (n.server().node().connectionLimiter().open() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("open connections: " + n.server().node().connectionLimiter().open());
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void connectionLimitAnswers503BeforeTheUpgrade() {
    TestNode n = startNode("{\"client\": {\"connection_limit\": 2}}");
    RawClient a = open(n);
    open(n);
    assertEquals(503, upgradeStatus(n));
    a.close();
    awaitOpenConnections(n, 1);
    assertEquals(101, upgradeStatus(n), "a closed connection frees its place");
  }

  @Test
  void connectionRateLimitAnswers503() {
    TestNode n = startNode("{\"client\": {\"connection_rate_limit\": 3}}");
    for (int i = 0; i < 3; i++) {
      open(n);
    }
    assertEquals(503, upgradeStatus(n));
  }

  @Test
  void userConnectionLimitClosesWith3504() {
    TestNode n = startNode("{\"client\": {\"user_connection_limit\": 2}}");
    open(n).connect(token("ann"));
    open(n).connect(token("ann"));
    RawClient third = open(n);
    third.send("{\"id\":1,\"connect\":{\"token\":\"" + token("ann") + "\"}}");
    assertEquals(3504, third.awaitClose().code());
    open(n).connect(token("bob"));
  }

  @Test
  void commandRateLimitAnswers111ThenDisconnects3013() {
    TestNode n = startNode("{\"client\": {\"rate_limit\": {\"client_command\": "
        + "{\"enabled\": true, \"rate\": 5, \"interval\": \"60s\"}}}}");
    RawClient c = open(n);
    c.connect(token("ann"));
    for (int i = 0; i < 4; i++) {
      assertTrue(c.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"));
    }
    ObjectNode limited = c.call("unsubscribe", "{\"channel\":\"x\"}");
    assertEquals(111, limited.path("error").path("code").asInt(), limited::toString);
    assertTrue(limited.path("error").path("temporary").asBoolean(), limited::toString);
    StringBuilder flood = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      flood.append(i == 0 ? "" : "\n").append("{\"id\":").append(100 + i).append(",\"unsubscribe\":{\"channel\":\"x\"}}");
    }
    c.send(flood.toString());
    assertEquals(3013, c.awaitClose().code());
    // Other connections are not affected.
    open(n).connect(token("bob"));
  }

  @Test
  void errorLimitDisconnects3509() {
    TestNode n = startNode("{\"client\": {\"rate_limit\": {\"client_error\": "
        + "{\"enabled\": true, \"rate\": 3, \"interval\": \"60s\"}}}}");
    RawClient c = open(n);
    c.connect(token("ann"));
    // Successful commands cost nothing from the error budget.
    for (int i = 0; i < 10; i++) {
      assertTrue(c.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"));
    }
    for (int i = 0; i < 3; i++) {
      ObjectNode denied = c.call("subscribe", "{\"channel\":\"locked:x\"}");
      assertEquals(103, denied.path("error").path("code").asInt(), denied::toString);
    }
    c.send("{\"id\":99,\"subscribe\":{\"channel\":\"locked:x\"}}");
    assertEquals(3509, c.awaitClose().code());
    // Other connections, also of the same user, are not affected.
    open(n).connect(token("ann"));
  }

  @Test
  void compressionIsDeclinedSoNoMessageInflatesPastTheSizeLimit() {
    // The client offers permessage-deflate. A deflated message of spaces would inflate ~1000:1 past
    // the limit; the node declines every compression extension, so the limit applies to the bytes
    // on the wire.
    RawClient c = closedAfterTest(RawClient.open(vertx, node.port(),
        new WebSocketClientOptions().setTryUsePerMessageCompression(true).setTryUsePerFrameCompression(true)));
    assertNull(c.handshakeHeaders().get("Sec-WebSocket-Extensions"), () -> c.handshakeHeaders().toString());
    c.connect(token("ann"));
    // Over the 64 KB default by a little: the node reads all of it, so its close frame arrives
    // before the socket closes (a megabyte still in flight would turn the close into a reset).
    String over = "{\"id\":7,\"rpc\":{\"method\":\"m\",\"data\":{}" + " ".repeat(70 * 1024) + "}}";
    c.send(over);
    RawClient.Close close = c.awaitClose(Duration.ofSeconds(10));
    assertEquals(1009, close.code(), close::toString);
  }

  /**
   * Sends one header byte every 200 ms (the socket's read timeout), which keeps a connection busy
   * but never finishes the headers; true when the node closed the connection within the time.
   */
  private static boolean dribbleUntilClosed(java.net.Socket s, int seconds) throws java.io.IOException {
    java.io.OutputStream out = s.getOutputStream();
    java.io.InputStream in = s.getInputStream();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        out.write('X');
        out.flush();
        int b;
        while ((b = in.read()) >= 0) {
          // whatever an earlier answer left unread
        }
        return true;
      } catch (java.net.SocketTimeoutException e) {
        // still open
      } catch (java.io.IOException e) {
        return true;
      }
    }
    return false;
  }

  @Test
  void slowHeadersAreCutOff() throws Exception {
    TestNode n = startNode("{\"http_server\": {\"read_header_timeout\": \"1s\"}}");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", n.port())) {
      s.setSoTimeout(200);
      java.io.OutputStream out = s.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      boolean closed = dribbleUntilClosed(s, 6);
      assertTrue(closed, "the node kept a connection whose headers never ended");
    }
    // Well-behaved requests and WebSockets on the same node are served, also past the deadline.
    RawClient c = open(n);
    c.connect(token("ann"));
    assertEquals(200, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + n.port() + "/health")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
    n.vertx().timer(1500).await(5, TimeUnit.SECONDS);
    assertTrue(c.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"));
    // The WebSocket's frames after the upgrade never start a header deadline.
    n.vertx().timer(1500).await(5, TimeUnit.SECONDS);
    assertTrue(c.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"));
  }

  private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Reads one HTTP/1.1 response (head and Content-Length body) and returns its status line. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return head.substring(0, head.indexOf("\r\n"));
  }

  /** A connection to a node with a 1 s header deadline, its first request answered and kept alive. */
  private Socket keptAliveAfterOneRequest() throws IOException {
    TestNode n = startNode("{\"http_server\": {\"read_header_timeout\": \"1s\"}}");
    Socket s = new Socket("127.0.0.1", n.port());
    s.setSoTimeout(5_000);
    s.getOutputStream().write(HEALTH);
    assertEquals("HTTP/1.1 200 OK", readResponse(s.getInputStream()));
    return s;
  }

  @Test
  void slowHeadersOfALaterKeepAliveRequestAreCutOff() throws Exception {
    try (Socket s = keptAliveAfterOneRequest()) {
      // The second request on the kept-alive connection starts, and its headers dribble and never end.
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(200);
      assertTrue(dribbleUntilClosed(s, 8), "the node kept a keep-alive connection whose next headers never ended");
    }
  }

  @Test
  void anIdleKeepAliveConnectionOutlivesTheHeaderDeadline() throws Exception {
    try (Socket s = keptAliveAfterOneRequest()) {
      // Idle for 2.5 header deadlines: the node neither closes the connection nor sends anything.
      s.setSoTimeout(2_500);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(),
          "the node closed (or wrote to) an idle keep-alive connection");
      // A client reusing it now is answered, at once and in full.
      s.setSoTimeout(5_000);
      s.getOutputStream().write(HEALTH);
      assertEquals("HTTP/1.1 200 OK", readResponse(s.getInputStream()));
      s.getOutputStream().write(HEALTH);
      assertEquals("HTTP/1.1 200 OK", readResponse(s.getInputStream()));
    }
  }

  @Test
  void aBodyThatDribblesOnAKeptAliveConnectionIsCutOff() throws Exception {
    TestNode n = startNode("{\"http_server\": {\"read_header_timeout\": \"1s\", \"read_timeout\": \"2s\"}}");
    try (Socket s = new Socket("127.0.0.1", n.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(HEALTH);
      assertEquals("HTTP/1.1 200 OK", readResponse(s.getInputStream()));
      // The next request's headers are complete at once; its announced body never arrives in full.
      s.getOutputStream().write(("POST /api/info HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(200);
      long start = System.nanoTime();
      assertTrue(dribbleUntilClosed(s, 12), "the node kept a connection whose request body never ended");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms >= 1_500, "cut after " + ms + " ms: before the read deadline");
    }
    // A request whose body arrives in time on a kept-alive connection is answered, past the header deadline.
    try (Socket s = new Socket("127.0.0.1", n.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(("POST /api/info HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      n.vertx().timer(1200).await(5, TimeUnit.SECONDS);
      s.getOutputStream().write("}".getBytes(StandardCharsets.US_ASCII));
      assertTrue(readResponse(s.getInputStream()).startsWith("HTTP/1.1 "), "no answer to a complete request");
    }
  }
}
