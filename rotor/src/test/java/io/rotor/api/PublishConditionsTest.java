package io.rotor.api;

import static io.rotor.testing.RawClient.json;
import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Centrifugo's publish conditions and base64 payloads on the HTTP API, over real HTTP with real
 * WebSocket subscribers: a repeated {@code idempotency_key} answers the first result and is
 * delivered once, a {@code version} not newer than the channel's is not published, {@code b64data}
 * / {@code b64info} carry payloads, and server API {@code subscribe} takes {@code override} and
 * {@code expire_at}. The memory engine; {@code RedisPublishConditionsTest} runs the same on Redis.
 */
class PublishConditionsTest extends SharedNodeTest {

  /** The API of the node under test: the shared memory node here, a Redis node in the subclass. */
  protected RawClient.Api api() {
    return api;
  }

  protected RawClient subscriber(String channel) {
    RawClient c = connected(unique("sub"));
    c.subscribe(channel);
    return c;
  }

  static String publishBody(String channel, String data, String extra) {
    return "{\"channel\":\"" + channel + "\",\"data\":" + data + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  /**
   * The {@code data.n} of every publication a subscriber received up to and including a marker
   * publication ({@code {"n":-1}}) sent last: per channel the order is kept, so what is not there
   * before the marker was not delivered.
   */
  protected List<Integer> receivedUpToMarker(RawClient c, String channel) {
    api().result("publish", publishBody(channel, "{\"n\":-1}", ""));
    List<Integer> got = new ArrayList<>();
    while (true) {
      int n = c.await(pub(channel)).get("push").get("pub").get("data").get("n").asInt();
      if (n == -1) {
        return got;
      }
      got.add(n);
    }
  }

  private static int errorCode(ObjectNode response) {
    assertTrue(response.has("error"), () -> "expected an error, got " + response);
    return response.get("error").get("code").asInt();
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheFirstResultAndIsDeliveredOnce() {
    String ch = unique("idem");
    RawClient c = subscriber(ch);
    ObjectNode first = api().result("publish", publishBody(ch, "{\"n\":1}", "\"idempotency_key\":\"k1\""));
    ObjectNode again = api().result("publish", publishBody(ch, "{\"n\":2}", "\"idempotency_key\":\"k1\""));
    assertEquals(1, first.get("offset").asLong(), first::toString);
    assertEquals(first, again, "the retry answers the first result");
    ObjectNode other = api().result("publish", publishBody(ch, "{\"n\":3}", "\"idempotency_key\":\"k2\""));
    assertEquals(2, other.get("offset").asLong(), "another key is another publication");
    // The same key on another channel is independent (Centrifugo keys results per channel).
    String ch2 = unique("idem");
    assertEquals(1, api().result("publish", publishBody(ch2, "{\"n\":4}", "\"idempotency_key\":\"k1\""))
        .get("offset").asLong());

    assertEquals(List.of(1, 3), receivedUpToMarker(c, ch));
    JsonNode history = api().result("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}").get("publications");
    assertEquals(3, history.size(), "n=1, n=3 and the marker: " + history);
  }

  @Test
  void idempotencyHoldsWithoutHistoryAndInBroadcast() {
    String ch = "nohistory:" + unique("idem");
    RawClient c = subscriber(ch);
    assertEquals(json("{}"), api().result("publish", publishBody(ch, "{\"n\":1}", "\"idempotency_key\":\"x\"")));
    assertEquals(json("{}"), api().result("publish", publishBody(ch, "{\"n\":2}", "\"idempotency_key\":\"x\"")));
    assertEquals(List.of(1), receivedUpToMarker(c, ch));

    String a = unique("bc");
    String b = unique("bc");
    RawClient ca = subscriber(a);
    String body = "{\"channels\":[\"" + a + "\",\"" + b + "\"],\"data\":{\"n\":7},\"idempotency_key\":\"bk\"}";
    ObjectNode r1 = api().result("broadcast", body);
    ObjectNode r2 = api().result("broadcast", body);
    assertEquals(r1, r2, "a repeated broadcast answers the first results");
    assertEquals(1, r1.get("responses").get(0).get("result").get("offset").asLong(), r1::toString);
    assertEquals(1, r1.get("responses").get(1).get("result").get("offset").asLong(), r1::toString);
    assertEquals(List.of(7), receivedUpToMarker(ca, a));
  }

  @Test
  void anOlderOrEqualVersionIsNotPublished() {
    String ch = unique("ver");
    RawClient c = subscriber(ch);
    long o2 = api().result("publish", publishBody(ch, "{\"n\":2}", "\"version\":2")).get("offset").asLong();
    // Suppressed: answered with the stream top, nothing stored or delivered.
    assertEquals(o2, api().result("publish", publishBody(ch, "{\"n\":1}", "\"version\":1")).get("offset").asLong());
    assertEquals(o2, api().result("publish", publishBody(ch, "{\"n\":22}", "\"version\":2")).get("offset").asLong());
    long o3 = api().result("publish", publishBody(ch, "{\"n\":3}", "\"version\":3")).get("offset").asLong();
    assertEquals(o2 + 1, o3);
    // Another version epoch starts over; an empty epoch compares with whatever epoch is on top.
    long e1 = api().result("publish", publishBody(ch, "{\"n\":4}", "\"version\":1,\"version_epoch\":\"b\""))
        .get("offset").asLong();
    assertEquals(o3 + 1, e1);
    assertEquals(e1, api().result("publish", publishBody(ch, "{\"n\":5}", "\"version\":1")).get("offset").asLong());
    assertEquals(e1, api().result("publish", publishBody(ch, "{\"n\":6}", "\"version\":1,\"version_epoch\":\"b\""))
        .get("offset").asLong());
    // Unversioned publishes are never suppressed.
    assertEquals(e1 + 1, api().result("publish", publishBody(ch, "{\"n\":8}", "")).get("offset").asLong());
    assertEquals(List.of(2, 3, 4, 8), receivedUpToMarker(c, ch));

    assertEquals(107, errorCode(api().call("publish", publishBody(ch, "{}", "\"version\":-1"))));
    assertEquals(107, errorCode(api().call("publish", publishBody(ch, "{}", "\"version\":\"1\""))));
    assertEquals(107, errorCode(api().call("publish", publishBody(ch, "{}", "\"idempotency_key\":5"))));
  }

  @Test
  void b64dataIsThePayloadAndWinsOverData() {
    String ch = unique("b64");
    RawClient c = subscriber(ch);
    String b64 = Base64.getEncoder().encodeToString("{\"n\":42}".getBytes(StandardCharsets.UTF_8));
    api().result("publish", "{\"channel\":\"" + ch + "\",\"b64data\":\"" + b64 + "\"}");
    api().result("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"n\":1},\"b64data\":\"" + b64 + "\"}");
    api().result("broadcast", "{\"channels\":[\"" + ch + "\"],\"b64data\":\"" + b64 + "\"}");
    assertEquals(List.of(42, 42, 42), receivedUpToMarker(c, ch));
    assertEquals(107, errorCode(api().call("publish", "{\"channel\":\"" + ch + "\",\"b64data\":\"not base64!\"}")));
    assertEquals(107, errorCode(api().call("publish", "{\"channel\":\"" + ch + "\"}")));
  }

  @Test
  void serverSubscribeTakesB64PayloadsAndOverride() {
    String ch = unique("srv"); // without_namespace: presence, join_leave, history, force_recovery
    String plain = unique("u");
    String overridden = unique("u");
    RawClient a = connected(plain);
    RawClient b = connected(overridden);
    String data = Base64.getEncoder().encodeToString("{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
    String info = Base64.getEncoder().encodeToString("{\"role\":\"srv\"}".getBytes(StandardCharsets.UTF_8));
    api().result("subscribe", "{\"user\":\"" + plain + "\",\"channel\":\"" + ch + "\",\"b64data\":\"" + data
        + "\",\"b64info\":\"" + info + "\"}");
    JsonNode s = a.await(push(ch, "subscribe")).get("push").get("subscribe");
    assertEquals(json("{\"hello\":1}"), s.get("data"), s::toString);
    assertTrue(s.path("recoverable").asBoolean(), s::toString);
    api().result("subscribe", "{\"user\":\"" + overridden + "\",\"channel\":\"" + ch + "\",\"override\":"
        + "{\"force_recovery\":{\"value\":false},\"presence\":{\"value\":false}}}");
    JsonNode o = b.await(push(ch, "subscribe")).get("push").get("subscribe");
    assertFalse(o.path("recoverable").asBoolean(), "force_recovery overridden: " + o);

    // Presence holds the plain subscriber with its b64info as chan_info, and not the overridden one.
    io.rotor.testing.TestCluster.awaitPresence(api(), ch, 1);
    JsonNode presence = api().result("presence", "{\"channel\":\"" + ch + "\"}").get("presence");
    assertEquals(1, presence.size(), presence::toString);
    JsonNode entry = presence.elements().next();
    assertEquals(plain, entry.get("user").asText());
    assertEquals(json("{\"role\":\"srv\"}"), entry.get("chan_info"), presence::toString);

    assertEquals(107, errorCode(api().call("subscribe", "{\"user\":\"" + plain + "\",\"channel\":\"" + ch
        + "\",\"override\":{\"presence\":true}}")));
    assertEquals(107, errorCode(api().call("subscribe", "{\"user\":\"" + plain + "\",\"channel\":\"" + ch
        + "\",\"b64info\":\"%%%\"}")));
  }

  @Test
  void serverSubscribeWithExpireAtEndsTheConnection() {
    var n = startNode("{\"client\": {\"expired_sub_close_delay\": \"100ms\"}}");
    String user = unique("u");
    String ch = unique("exp");
    RawClient c = connected(n, user);
    long expireAt = System.currentTimeMillis() / 1000 + 1;
    new RawClient.Api(n.port()).result("subscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + ch
        + "\",\"expire_at\":" + expireAt + "}");
    c.await(push(ch, "subscribe"));
    // An expired server-side subscription closes the connection with 3006, as in Centrifugo.
    assertEquals(3006, c.awaitClose(java.time.Duration.ofSeconds(10)).code());
  }
}
