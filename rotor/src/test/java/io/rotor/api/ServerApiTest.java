package io.rotor.api;

import static io.rotor.testing.RawClient.json;
import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every method of the HTTP server API over real HTTP, with real WebSocket clients where a method
 * acts on connections (subscribe, unsubscribe, disconnect, refresh, presence).
 */
class ServerApiTest extends SharedNodeTest {

  private static HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder b = api.request(path, body);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return api.send(b.build());
  }

  private static int errorCode(ObjectNode response) {
    assertTrue(response.has("error"), () -> "expected an error, got " + response);
    assertFalse(response.has("result"), response::toString);
    return response.get("error").get("code").asInt();
  }

  // ---- transport ----------------------------------------------------------------------------

  @Test
  void missingOrWrongKeyIs401() {
    String body = "{\"channel\":\"auth\",\"data\":{}}";
    assertEquals(401, post("/api/publish", body).statusCode());
    assertEquals(401, post("/api/publish", body, "X-API-Key", "wrong").statusCode());
    assertEquals(401, post("/api/publish", body, "Authorization", "apikey wrong").statusCode());
    assertEquals(401, post("/api/publish", body, "Authorization", "Bearer " + TestNode.API_KEY).statusCode());
    assertEquals(401, post("/api/publish?api_key=wrong", body).statusCode());
    assertEquals(401, post("/api", "{\"method\":\"publish\",\"params\":" + body + "}").statusCode());
  }

  @Test
  void everyKeyFormIsAccepted() {
    String body = "{\"channel\":\"keys\",\"data\":{}}";
    HttpResponse<String> header = post("/api/publish", body, "X-API-Key", TestNode.API_KEY);
    HttpResponse<String> authorization = post("/api/publish", body, "Authorization", "apikey " + TestNode.API_KEY);
    HttpResponse<String> scheme = post("/api/publish", body, "Authorization", "ApiKey " + TestNode.API_KEY);
    HttpResponse<String> query = post("/api/publish?api_key=" + TestNode.API_KEY, body);
    for (HttpResponse<String> r : List.of(header, authorization, scheme, query)) {
      assertEquals(200, r.statusCode(), r::body);
      assertTrue(json(r.body()).has("result"), r::body);
    }
  }

  @Test
  void emptyConfiguredKeyRefusesEverything() {
    TestNode keyless = startNode("{\"http_api\":{\"key\":\"\"}}");
    RawClient.Api other = new RawClient.Api(keyless.port());
    HttpResponse<String> r = other.send(other.request("/api/info", "{}").header("X-API-Key", "").build());
    assertEquals(401, r.statusCode());
  }

  @Test
  void malformedBodyIs400() {
    assertEquals(400, post("/api/publish", "{not json", "X-API-Key", TestNode.API_KEY).statusCode());
    assertEquals(400, post("/api/publish", "[1,2]", "X-API-Key", TestNode.API_KEY).statusCode());
    assertEquals(400, post("/api", "{\"method\":", "X-API-Key", TestNode.API_KEY).statusCode());
  }

  @Test
  void unknownMethodIs404() {
    assertEquals(404, post("/api/frobnicate", "{}", "X-API-Key", TestNode.API_KEY).statusCode());
    assertEquals(404, post("/api", "{\"method\":\"frobnicate\",\"params\":{}}", "X-API-Key", TestNode.API_KEY)
        .statusCode());
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    long limit = 10 * 1024 * 1024;
    // Declared too large: answered from the headers, before any of the body is sent.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /api/publish HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestNode.API_KEY
          + "\r\nContent-Length: " + (limit + 1) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertTrue(statusLine(s).startsWith("HTTP/1.1 413"));
    }
    // Chunked, no length: refused once what arrived passes the limit.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(10_000);
      var out = new java.io.BufferedOutputStream(s.getOutputStream());
      out.write(("POST /api/publish HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestNode.API_KEY
          + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1024 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int i = 0; i <= 10; i++) {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      out.flush();
      assertTrue(statusLine(s).startsWith("HTTP/1.1 413"));
    }
    // A body under the limit still works on a fresh connection.
    assertEquals(200, post("/api/info", "{}", "X-API-Key", TestNode.API_KEY).statusCode());
  }

  private static String statusLine(java.net.Socket s) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    java.io.InputStream in = s.getInputStream();
    for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString();
  }

  @Test
  void onlyPostIsRouted() {
    HttpResponse<String> r = api.send(api.request("/api/info", "{}").header("X-API-Key", TestNode.API_KEY)
        .GET().build());
    assertTrue(r.statusCode() == 404 || r.statusCode() == 405, () -> "GET answered " + r.statusCode());
  }

  @Test
  void legacyEndpointTakesMethodAndParams() {
    String ch = unique("legacy");
    ObjectNode r = json(post("/api", "{\"method\":\"publish\",\"params\":{\"channel\":\"" + ch + "\",\"data\":{\"v\":1}}}",
        "X-API-Key", TestNode.API_KEY).body());
    assertEquals(1, r.get("result").get("offset").asLong(), r::toString);
    ObjectNode h = json(post("/api", "{\"method\":\"history\",\"params\":{\"channel\":\"" + ch + "\",\"limit\":-1}}",
        "X-API-Key", TestNode.API_KEY).body());
    assertEquals(json("{\"v\":1}"), h.get("result").get("publications").get(0).get("data"), h::toString);
  }

  // ---- publish, broadcast -------------------------------------------------------------------

  @Test
  void publishReturnsOffsetAndEpochAndReachesSubscribers() {
    String ch = unique("pub");
    RawClient c = connected("reader");
    ObjectNode sub = c.subscribe(ch);
    ObjectNode r1 = api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"text\":\"one\"}}");
    ObjectNode r2 = api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"text\":\"two\"},\"tags\":{\"k\":\"v\"}}");
    assertEquals(1, r1.get("offset").asLong(), r1::toString);
    assertEquals(2, r2.get("offset").asLong(), r2::toString);
    assertEquals(sub.get("epoch").asText(), r1.get("epoch").asText());
    assertEquals(r1.get("epoch").asText(), r2.get("epoch").asText());

    JsonNode p1 = c.await(pub(ch)).get("push").get("pub");
    JsonNode p2 = c.await(pub(ch)).get("push").get("pub");
    assertEquals(json("{\"text\":\"one\"}"), p1.get("data"));
    assertFalse(p1.has("info"), "API publications have no publisher info: " + p1);
    assertEquals(1, p1.get("offset").asLong());
    assertEquals("v", p2.get("tags").get("k").asText(), p2::toString);
  }

  @Test
  void publishBodyShapesReachSubscribersIntact() {
    String ch = unique("shapes");
    RawClient c = connected("shapes-reader");
    c.subscribe(ch);
    // Field order, unknown fields, spaces and escaped newlines inside data.
    api.result("publish", "{\"data\": [1, {\"a\": \"x\\ny\"}], \"extra\": {\"z\": [1]}, \"channel\": \"" + ch + "\"}");
    // Pretty-printed data: raw newlines must not reach the newline-delimited client stream.
    api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":{\n  \"b\": 2\n}}");
    // Scalar data.
    api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":\"text\",\"tags\":{\"t\":\"1\"}}");
    assertEquals(json("{\"d\":[1,{\"a\":\"x\\ny\"}]}").get("d"), c.await(pub(ch)).get("push").get("pub").get("data"));
    assertEquals(json("{\"b\":2}"), c.await(pub(ch)).get("push").get("pub").get("data"));
    JsonNode third = c.await(pub(ch)).get("push").get("pub");
    assertEquals("text", third.get("data").asText());
    assertEquals("1", third.get("tags").get("t").asText());
    assertEquals(107, errorCode(api.call("publish", "{\"channel\":\"" + ch + "\",\"data\":{},\"tags\":{\"t\":1}}")));
    assertEquals(107, errorCode(api.call("publish", "{\"channel\":\"" + ch + "\",\"data\":{},\"skip_history\":1}")));
    assertEquals(400, post("/api/publish", "{\"channel\":\"" + ch + "\",\"data\":{\"a\":}}", "X-API-Key", TestNode.API_KEY)
        .statusCode());
  }

  @Test
  void publishWithoutHistoryHasNoPosition() {
    ObjectNode r = api.result("publish", "{\"channel\":\"nohistory:" + unique("x") + "\",\"data\":{}}");
    assertFalse(r.has("offset"), r::toString);
    assertFalse(r.has("epoch"), r::toString);
    String ch = unique("skip");
    ObjectNode skipped = api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":{},\"skip_history\":true}");
    assertFalse(skipped.has("offset"), skipped::toString);
    assertEquals(0, api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}").get("publications").size());
  }

  @Test
  void publishValidation() {
    assertEquals(107, errorCode(api.call("publish", "{\"data\":{}}")));
    assertEquals(107, errorCode(api.call("publish", "{\"channel\":\"\",\"data\":{}}")));
    assertEquals(107, errorCode(api.call("publish", "{\"channel\":\"" + unique("nodata") + "\"}")));
    assertEquals(107, errorCode(api.call("publish", "{\"channel\":5,\"data\":{}}")));
    assertEquals(102, errorCode(api.call("publish", "{\"channel\":\"nosuchns:x\",\"data\":{}}")));
  }

  @Test
  void broadcastAnswersPerChannel() {
    String a = unique("bca");
    String b = unique("bcb");
    RawClient c = connected("bc");
    c.subscribe(a);
    c.subscribe(b);
    ObjectNode r = api.result("broadcast",
        "{\"channels\":[\"" + a + "\",\"nosuchns:x\",\"" + b + "\"],\"data\":{\"all\":true}}");
    JsonNode responses = r.get("responses");
    assertEquals(3, responses.size(), r::toString);
    assertEquals(1, responses.get(0).get("result").get("offset").asLong(), r::toString);
    assertEquals(102, responses.get(1).get("error").get("code").asInt(), r::toString);
    assertFalse(responses.get(1).has("result"));
    assertEquals(1, responses.get(2).get("result").get("offset").asLong(), r::toString);
    assertTrue(c.await(pub(a)).get("push").get("pub").get("data").get("all").asBoolean());
    assertTrue(c.await(pub(b)).get("push").get("pub").get("data").get("all").asBoolean());

    assertEquals(107, errorCode(api.call("broadcast", "{\"channels\":[],\"data\":{}}")));
    assertEquals(107, errorCode(api.call("broadcast", "{\"data\":{}}")));
  }

  // ---- acting on connections ----------------------------------------------------------------

  @Test
  void subscribeMakesAServerSideSubscription() {
    String user = unique("u");
    String ch = unique("srv");
    api.publish(ch, "{\"before\":true}");
    RawClient c = connected(user);
    ObjectNode r = api.result("subscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + ch + "\"}");
    assertEquals(json("{}"), r);

    ObjectNode announce = c.await(push(ch, "subscribe"));
    JsonNode s = announce.get("push").get("subscribe");
    assertTrue(s.path("recoverable").asBoolean(), announce::toString);
    assertTrue(s.path("positioned").asBoolean(), announce::toString);
    assertEquals(1, s.path("offset").asLong(), announce::toString);
    assertFalse(s.path("epoch").asText().isEmpty(), announce::toString);

    long offset = api.publish(ch, "{\"after\":true}");
    JsonNode p = c.await(pub(ch)).get("push").get("pub");
    assertEquals(offset, p.get("offset").asLong());
    assertTrue(p.get("data").get("after").asBoolean());
    // Nothing published before the subscription was delivered as a push.
    assertTrue(c.unconsumed().stream().noneMatch(pub(ch)), () -> "unexpected: " + c.unconsumed());

    // Users without connections are fine; the call still succeeds.
    assertEquals(json("{}"), api.result("subscribe", "{\"user\":\"" + unique("nobody") + "\",\"channel\":\"" + ch + "\"}"));
    assertEquals(107, errorCode(api.call("subscribe", "{\"channel\":\"" + ch + "\"}")));
    assertEquals(107, errorCode(api.call("subscribe", "{\"user\":\"" + user + "\"}")));
  }

  @Test
  void unsubscribePushes2000AndStopsDelivery() {
    String user = unique("u");
    String ch = unique("unsub");
    String marker = unique("marker");
    RawClient c = connected(user);
    c.subscribe(ch);
    c.subscribe(marker);
    assertEquals(json("{}"), api.result("unsubscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + ch + "\"}"));
    ObjectNode u = c.await(push(ch, "unsubscribe"));
    assertEquals(2000, u.get("push").get("unsubscribe").get("code").asInt(), u::toString);

    api.publish(ch, "{\"x\":1}");
    api.publish(marker, "{\"x\":2}");
    c.await(pub(marker));
    assertTrue(c.unconsumed().stream().noneMatch(pub(ch)), () -> "delivered after unsubscribe: " + c.unconsumed());
    // The client may subscribe again by itself.
    assertTrue(c.call("subscribe", "{\"channel\":\"" + ch + "\"}").has("subscribe"));
  }

  @Test
  void disconnectUsesForceDisconnectByDefault() {
    String user = unique("u");
    RawClient a = connected(user);
    RawClient b = connected(user);
    RawClient other = connected(unique("other"));
    assertEquals(json("{}"), api.result("disconnect", "{\"user\":\"" + user + "\"}"));
    assertEquals(3503, a.awaitClose().code());
    assertEquals(3503, b.awaitClose().code());
    assertFalse(other.isClosed());
    assertTrue(other.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"), "other users stay connected");
  }

  @Test
  void disconnectWithCustomCodeClientAndWhitelist() {
    String user = unique("u");
    RawClient gone1 = connected(user);
    RawClient kept = open();
    String keptId = kept.connect(token(user)).get("client").asText();
    RawClient gone2 = connected(user);
    assertEquals(json("{}"), api.result("disconnect", "{\"user\":\"" + user + "\",\"whitelist\":[\"" + keptId + "\"],"
        + "\"disconnect\":{\"code\":4501,\"reason\":\"go away\"}}"));
    RawClient.Close close = gone1.awaitClose();
    assertEquals(4501, close.code());
    assertEquals("go away", close.reason());
    assertEquals(4501, gone2.awaitClose().code());
    assertTrue(kept.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"), "the whitelisted one stays");

    // Only the named client.
    RawClient target = open();
    String targetId = target.connect(token(user)).get("client").asText();
    api.result("disconnect", "{\"user\":\"" + user + "\",\"client\":\"" + targetId + "\"}");
    assertEquals(3503, target.awaitClose().code());
    assertTrue(kept.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"));
  }

  @Test
  void refreshExpiredClosesWith3005() {
    String user = unique("u");
    RawClient c = connected(user);
    assertEquals(json("{}"), api.result("refresh", "{\"user\":\"" + user + "\",\"expired\":true}"));
    assertEquals(3005, c.awaitClose().code());
  }

  @Test
  void refreshWithNewInfoKeepsTheConnection() {
    String user = unique("u");
    RawClient c = connected(user);
    String ch = unique("info");
    assertEquals(json("{}"), api.result("refresh", "{\"user\":\"" + user + "\",\"info\":{\"name\":\"New\"}}"));
    c.subscribe(ch);
    JsonNode presence = api.result("presence", "{\"channel\":\"" + ch + "\"}").get("presence");
    JsonNode info = presence.elements().next();
    assertEquals(json("{\"name\":\"New\"}"), info.get("conn_info"), presence::toString);
  }

  // ---- presence, history --------------------------------------------------------------------

  @Test
  void presenceAndPresenceStats() {
    String ch = unique("room");
    String u1 = unique("u");
    String u2 = unique("u");
    RawClient a = open();
    String aId = a.connect(token(u1)).get("client").asText();
    RawClient b = open();
    String bId = b.connect(token(u2)).get("client").asText();
    RawClient b2 = connected(u2);
    a.subscribe(ch);
    b.subscribe(ch);
    b2.subscribe(ch);

    JsonNode presence = api.result("presence", "{\"channel\":\"" + ch + "\"}").get("presence");
    assertEquals(3, presence.size(), presence::toString);
    assertEquals(u1, presence.get(aId).get("user").asText());
    assertEquals(aId, presence.get(aId).get("client").asText());
    assertEquals(u2, presence.get(bId).get("user").asText());
    assertEquals(json("{\"num_clients\":3,\"num_users\":2}"),
        api.result("presence_stats", "{\"channel\":\"" + ch + "\"}"));

    b.call("unsubscribe", "{\"channel\":\"" + ch + "\"}");
    b2.call("unsubscribe", "{\"channel\":\"" + ch + "\"}");
    assertEquals(json("{\"num_clients\":1,\"num_users\":1}"),
        api.result("presence_stats", "{\"channel\":\"" + ch + "\"}"));

    assertEquals(json("{\"num_clients\":0,\"num_users\":0}"),
        api.result("presence_stats", "{\"channel\":\"" + unique("empty") + "\"}"));
    assertEquals(108, errorCode(api.call("presence", "{\"channel\":\"nohistory:x\"}")));
    assertEquals(108, errorCode(api.call("presence_stats", "{\"channel\":\"nohistory:x\"}")));
    assertEquals(107, errorCode(api.call("presence", "{}")));
  }

  @Test
  void historyLimitSinceAndReverse() {
    String ch = unique("hist");
    for (int i = 1; i <= 5; i++) {
      api.publish(ch, "{\"i\":" + i + "}");
    }
    ObjectNode all = api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}");
    String epoch = all.get("epoch").asText();
    assertEquals(5, all.get("offset").asLong());
    assertEquals(5, all.get("publications").size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i + 1, all.get("publications").get(i).get("offset").asLong());
      assertEquals(json("{\"i\":" + (i + 1) + "}"), all.get("publications").get(i).get("data"));
    }

    ObjectNode positionOnly = api.result("history", "{\"channel\":\"" + ch + "\"}");
    assertEquals(0, positionOnly.get("publications").size(), positionOnly::toString);
    assertEquals(5, positionOnly.get("offset").asLong());
    assertEquals(epoch, positionOnly.get("epoch").asText());

    assertEquals(List.of(1L, 2L), offsets(api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":2}")));
    assertEquals(List.of(5L, 4L), offsets(api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":2,\"reverse\":true}")));
    assertEquals(List.of(3L, 4L, 5L), offsets(api.result("history",
        "{\"channel\":\"" + ch + "\",\"limit\":-1,\"since\":{\"offset\":2,\"epoch\":\"" + epoch + "\"}}")));
    assertEquals(List.of(3L), offsets(api.result("history",
        "{\"channel\":\"" + ch + "\",\"limit\":1,\"since\":{\"offset\":2,\"epoch\":\"" + epoch + "\"}}")));
    assertEquals(List.of(3L, 2L, 1L), offsets(api.result("history",
        "{\"channel\":\"" + ch + "\",\"limit\":-1,\"reverse\":true,\"since\":{\"offset\":4,\"epoch\":\"" + epoch + "\"}}")));
    assertEquals(List.of(), offsets(api.result("history",
        "{\"channel\":\"" + ch + "\",\"limit\":-1,\"since\":{\"offset\":5,\"epoch\":\"" + epoch + "\"}}")));

    assertEquals(112, errorCode(api.call("history",
        "{\"channel\":\"" + ch + "\",\"limit\":-1,\"since\":{\"offset\":2,\"epoch\":\"other\"}}")));
    assertEquals(107, errorCode(api.call("history",
        "{\"channel\":\"" + ch + "\",\"limit\":-1,\"reverse\":true,\"since\":{\"offset\":0,\"epoch\":\"" + epoch + "\"}}")));
    assertEquals(108, errorCode(api.call("history", "{\"channel\":\"nohistory:x\",\"limit\":-1}")));
  }

  private static List<Long> offsets(ObjectNode history) {
    List<Long> out = new ArrayList<>();
    history.get("publications").forEach(p -> out.add(p.get("offset").asLong()));
    return out;
  }

  @Test
  void historyRemoveKeepsThePosition() {
    String ch = unique("remove");
    for (int i = 0; i < 3; i++) {
      api.publish(ch, "{}");
    }
    String epoch = api.result("history", "{\"channel\":\"" + ch + "\"}").get("epoch").asText();
    assertEquals(json("{}"), api.result("history_remove", "{\"channel\":\"" + ch + "\"}"));
    ObjectNode after = api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}");
    assertEquals(0, after.get("publications").size(), after::toString);
    assertEquals(3, after.get("offset").asLong());
    assertEquals(epoch, after.get("epoch").asText());
    ObjectNode next = api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":{}}");
    assertEquals(4, next.get("offset").asLong());
    assertEquals(epoch, next.get("epoch").asText());
    assertEquals(108, errorCode(api.call("history_remove", "{\"channel\":\"nohistory:x\"}")));
  }

  // ---- node state ---------------------------------------------------------------------------

  @Test
  void channelsListsActiveChannelsMatchingThePattern() {
    String prefix = unique("chans");
    RawClient a = connected(unique("u"));
    RawClient b = connected(unique("u"));
    a.subscribe(prefix + ".one");
    b.subscribe(prefix + ".one");
    a.subscribe(prefix + ".two");
    a.subscribe("other" + prefix);

    JsonNode matching = api.result("channels", "{\"pattern\":\"" + prefix + ".*\"}").get("channels");
    assertEquals(json("{\"" + prefix + ".one\":{\"num_clients\":2},\"" + prefix + ".two\":{\"num_clients\":1}}"),
        matching);
    JsonNode everything = api.result("channels", "{}").get("channels");
    assertTrue(everything.has("other" + prefix), everything::toString);
    assertTrue(everything.has(prefix + ".one"), everything::toString);
  }

  @Test
  void infoCountsClientsUsersChannelsAndSubscriptions() {
    TestNode fresh = startNode();
    RawClient.Api fapi = new RawClient.Api(fresh.port());
    RawClient a = connected(fresh, "alpha");
    RawClient b = connected(fresh, "alpha");
    RawClient c = connected(fresh, "beta");
    a.subscribe("c1");
    b.subscribe("c1");
    c.subscribe("c2");

    JsonNode nodes = fapi.result("info", "{}").get("nodes");
    assertEquals(1, nodes.size(), nodes::toString);
    JsonNode n = nodes.get(0);
    assertFalse(n.path("uid").asText().isEmpty(), n::toString);
    assertFalse(n.path("version").asText().isEmpty(), n::toString);
    assertEquals(3, n.get("num_clients").asInt(), n::toString);
    assertEquals(2, n.get("num_users").asInt(), n::toString);
    assertEquals(2, n.get("num_channels").asInt(), n::toString);
    assertEquals(3, n.get("num_subs").asInt(), n::toString);
    assertTrue(n.get("uptime").asLong() >= 0);
  }

  // ---- batch --------------------------------------------------------------------------------

  @Test
  void batchRunsCommandsInOrderAndDoesNotWrapInResult() {
    String ch = unique("batch");
    ObjectNode r = api.call("batch", "{\"commands\":["
        + "{\"publish\":{\"channel\":\"" + ch + "\",\"data\":{\"n\":1}}},"
        + "{\"publish\":{\"channel\":\"nosuchns:x\",\"data\":{}}},"
        + "{\"publish\":{\"channel\":\"" + ch + "\",\"data\":{\"n\":2}}},"
        + "{\"history\":{\"channel\":\"" + ch + "\",\"limit\":-1}}"
        + "]}");
    assertFalse(r.has("result"), "batch replies are not wrapped: " + r);
    JsonNode replies = r.get("replies");
    assertEquals(4, replies.size(), r::toString);
    assertEquals(1, replies.get(0).get("publish").get("offset").asLong(), r::toString);
    assertEquals(102, replies.get(1).get("error").get("code").asInt(), r::toString);
    assertEquals(2, replies.get(2).get("publish").get("offset").asLong(), r::toString);
    // Sequential: the history sees both publications before it.
    assertEquals(2, replies.get(3).get("history").get("publications").size(), r::toString);
  }

  @Test
  void parallelBatchAnswersEveryCommandInItsPlace() {
    String ch = unique("pbatch");
    StringBuilder commands = new StringBuilder("{\"parallel\":true,\"commands\":[");
    for (int i = 0; i < 20; i++) {
      commands.append(i == 0 ? "" : ",").append("{\"publish\":{\"channel\":\"").append(ch).append(i % 2)
          .append("\",\"data\":{\"i\":").append(i).append("}}}");
    }
    commands.append(",{\"info\":{}}]}");
    ObjectNode r = api.call("batch", commands.toString());
    assertFalse(r.has("result"), r::toString);
    JsonNode replies = r.get("replies");
    assertEquals(21, replies.size());
    List<Long> even = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      assertTrue(replies.get(i).has("publish"), r::toString);
      if (i % 2 == 0) {
        even.add(replies.get(i).get("publish").get("offset").asLong());
      }
    }
    assertTrue(replies.get(20).get("info").has("nodes"), r::toString);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), even.stream().sorted().toList());
    assertEquals(10, api.result("history", "{\"channel\":\"" + ch + "0\"}").get("offset").asLong());
    assertEquals(10, api.result("history", "{\"channel\":\"" + ch + "1\"}").get("offset").asLong());
  }

  @Test
  void badBatchIs107() {
    assertEquals(107, errorCode(api.call("batch", "{}")));
    assertEquals(107, errorCode(api.call("batch", "{\"commands\":{}}")));
  }
}
