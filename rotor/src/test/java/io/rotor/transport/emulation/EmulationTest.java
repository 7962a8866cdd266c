package io.rotor.transport.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.StreamReader;
import io.rotor.testing.TestNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP-streaming, SSE and /emulation on the wire, including every kind of bad request. */
class EmulationTest {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static TestNode node;
  private static RawClient.Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start(TestNode.allTransports());
    api = new RawClient.Api(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static String user() {
    return "emu-" + USERS.incrementAndGet();
  }

  private static String connectCommand(String user) {
    return "{\"id\":1,\"connect\":{\"token\":\"" + RawClient.token(user) + "\",\"name\":\"test\"}}";
  }

  private static JsonNode json(String line) {
    try {
      return RawClient.JSON.readTree(line.startsWith("data: ") ? line.substring(6) : line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static HttpResponse<String> emulation(String body, String contentType) {
    return StreamReader.send(StreamReader.post(node.port(), "/emulation", body)
        .header("Content-Type", contentType).build());
  }

  private static String emulationBody(JsonNode connect, String commands) {
    ObjectNode b = RawClient.JSON.createObjectNode();
    b.put("session", connect.get("session").asText());
    b.put("node", connect.get("node").asText());
    b.put("data", commands);
    return b.toString();
  }

  private StreamReader httpStream(String user) {
    StreamReader s = StreamReader.open(StreamReader.post(node.port(), "/connection/http_stream", connectCommand(user))
        .header("Content-Type", "application/json").build());
    assertEquals(200, s.status());
    return s;
  }

  @Test
  void httpStreamCarriesRepliesOfEmulatedCommandsAndPublications() {
    String user = user();
    try (StreamReader s = httpStream(user)) {
      assertEquals("no", s.response().headers().firstValue("X-Accel-Buffering").orElse(""));
      JsonNode connect = json(s.next("\"connect\"")).get("connect");
      assertEquals(node.server().node().id(), connect.get("node").asText());
      assertFalse(connect.get("session").asText().isEmpty());

      String channel = "emu-news-" + user;
      HttpResponse<String> r = emulation(emulationBody(connect,
          "{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}"), "application/json");
      assertEquals(204, r.statusCode());
      assertTrue(json(s.next("\"id\":2")).has("subscribe"));

      api.call("publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":1}}");
      JsonNode push = json(s.next("\"pub\"")).get("push");
      assertEquals(channel, push.get("channel").asText());
      assertEquals(1, push.at("/pub/data/n").asInt());
    }
  }

  @Test
  void serverDisconnectIsAPushOnTheStreamThenTheStreamEnds() {
    String user = user();
    try (StreamReader s = httpStream(user)) {
      s.next("\"connect\"");
      api.call("disconnect", "{\"user\":\"" + user + "\",\"disconnect\":{\"code\":3503,\"reason\":\"bye\"}}");
      JsonNode d = json(s.next("\"disconnect\"")).at("/push/disconnect");
      assertEquals(3503, d.get("code").asInt());
      assertEquals("bye", d.get("reason").asText());
      s.awaitEnd();
    }
  }

  @Test
  void sseTakesTheConnectFromTheQueryAndSendsOneEventPerMessage() {
    String user = user();
    String cf = URLEncoder.encode(connectCommand(user), StandardCharsets.UTF_8);
    try (StreamReader s = StreamReader.open(StreamReader.get(node.port(), "/connection/sse?cf_connect=" + cf).build())) {
      assertEquals(200, s.status());
      assertTrue(s.response().headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      JsonNode connect = json(s.next(l -> l.startsWith("data: ") && l.contains("\"connect\""))).get("connect");
      String channel = "sse-news-" + user;
      assertEquals(204, emulation(emulationBody(connect,
          "{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}"), "application/json").statusCode());
      s.next(l -> l.startsWith("data: ") && l.contains("\"id\":2"));
      api.call("publish", "{\"channel\":\"" + channel + "\",\"data\":{\"n\":7}}");
      assertEquals(7, json(s.next(l -> l.startsWith("data: ") && l.contains("\"pub\""))).at("/push/pub/data/n").asInt());
    }
  }

  @Test
  void closedStreamReleasesItsClientAndSession() throws Exception {
    String user = user();
    JsonNode connect;
    try (StreamReader s = httpStream(user)) {
      connect = json(s.next("\"connect\"")).get("connect");
      assertTrue(node.server().node().client(connect.get("client").asText()) != null);
    }
    String body = emulationBody(connect, "{\"id\":2,\"subscribe\":{\"channel\":\"gone\"}}");
    // The server learns of the abort asynchronously.
    io.rotor.testing.Await.until("client released", 5000,
        () -> node.server().node().client(connect.get("client").asText()) == null);
    assertEquals(404, emulation(body, "application/json").statusCode(), "session forgotten");
  }

  @Test
  void emulationRejectsBadRequests() {
    String user = user();
    try (StreamReader s = httpStream(user)) {
      JsonNode connect = json(s.next("\"connect\"")).get("connect");
      String good = emulationBody(connect, "{\"id\":2,\"subscribe\":{\"channel\":\"x-" + user + "\"}}");
      assertEquals(400, emulation("not json", "application/json").statusCode(), "malformed body");
      assertEquals(400, emulation("{\"session\":\"s\",\"node\":\"n\"}", "application/json").statusCode(), "no data");
      assertEquals(400, emulation("{\"session\":1,\"node\":\"n\",\"data\":\"x\"}", "application/json").statusCode(), "bad types");
      assertEquals(400, emulation(good, "application/octet-stream").statusCode(), "JSON sent as Protobuf");
      assertEquals(400, emulation(good, "text/xml").statusCode(), "another content type");
      assertEquals(404, emulation(good.replace(connect.get("session").asText(), "no-such-session"), "application/json").statusCode());
      assertEquals(404, emulation(good.replace(connect.get("node").asText(), "no-such-node"), "application/json").statusCode());
      assertEquals(413, emulation("{\"data\":\"" + "x".repeat(70 * 1024) + "\"}", "application/json").statusCode());
      assertEquals(405, StreamReader.send(StreamReader.get(node.port(), "/emulation").build()).statusCode());
      // A bad command in a well-formed request reaches the client, which disconnects with 3501.
      assertEquals(204, emulation(emulationBody(connect, "garbage"), "application/json").statusCode());
      assertEquals(3501, json(s.next("\"disconnect\"")).at("/push/disconnect/code").asInt());
      s.awaitEnd();
    }
  }

  @Test
  void streamsRejectBadConnects() {
    int port = node.port();
    assertEquals(400, StreamReader.send(StreamReader.post(port, "/connection/http_stream", "").build()).statusCode());
    assertEquals(400, StreamReader.send(StreamReader.post(port, "/connection/http_stream", "{nope").build()).statusCode());
    assertEquals(400, StreamReader.send(StreamReader.post(port, "/connection/sse", connectCommand("x"))
        .header("Content-Type", "application/octet-stream").build()).statusCode(), "Protobuf is http_stream only");
    assertEquals(413, StreamReader.send(StreamReader.post(port, "/connection/http_stream",
        "{\"id\":1,\"connect\":{\"data\":\"" + "x".repeat(70 * 1024) + "\"}}").build()).statusCode());
    assertEquals(405, StreamReader.send(StreamReader.get(port, "/connection/http_stream").build()).statusCode());
    assertEquals(400, StreamReader.send(StreamReader.get(port, "/connection/sse").build()).statusCode());
    assertEquals(400, StreamReader.send(StreamReader.get(port, "/connection/sse?cf_connect=%7Bnope").build()).statusCode());
  }

  @Test
  void corsFollowsAllowedOrigins() {
    int port = node.port();
    HttpResponse<String> preflight = StreamReader.send(HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/emulation"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "http://allowed.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type").build());
    assertEquals(204, preflight.statusCode());
    assertEquals("http://allowed.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
    assertEquals("content-type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));

    HttpResponse<String> refused = StreamReader.send(StreamReader.post(port, "/connection/http_stream", connectCommand("x"))
        .header("Origin", "http://evil.example").build());
    assertEquals(403, refused.statusCode());
    assertEquals(403, StreamReader.send(StreamReader.post(port, "/emulation", "{}")
        .header("Origin", "http://evil.example").build()).statusCode());
  }
}
