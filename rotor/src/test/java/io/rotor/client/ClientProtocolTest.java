package io.rotor.client;

import static io.rotor.testing.RawClient.json;
import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import io.vertx.core.http.WebSocketClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client protocol v2 state machine, driven over a real WebSocket against a real node: connect
 * and authentication, framing rules, command dispatch, permissions and limits, ping/pong, stale and
 * slow connections. Every close code is read from the close frame the client receives.
 */
class ClientProtocolTest extends SharedNodeTest {

  private static String channel(String prefix) {
    return unique(prefix);
  }

  private static int errorCode(ObjectNode reply) {
    assertTrue(reply.has("error"), () -> "expected an error reply, got " + reply);
    return reply.get("error").get("code").asInt();
  }

  private static void assertClosed(RawClient c, int code) {
    RawClient.Close close = c.awaitClose();
    assertEquals(code, close.code(), () -> "close " + close);
  }

  /** A connection that answers a command is open and usable (unsubscribe always succeeds). */
  private static void assertAlive(RawClient c) {
    ObjectNode r = c.call("unsubscribe", "{\"channel\":\"" + channel("probe") + "\"}");
    assertEquals(json("{}"), r.get("unsubscribe"), r::toString);
    assertFalse(c.isClosed());
  }

  // ---- connect ------------------------------------------------------------------------------

  @Test
  void connectWithTokenReturnsClientVersionPingAndPong() {
    RawClient c = open();
    ObjectNode reply = c.call("connect", "{\"token\":\"" + token("alice") + "\",\"name\":\"js\"}");
    assertEquals(1, reply.get("id").asInt());
    assertFalse(reply.has("error"), reply::toString);
    JsonNode r = reply.get("connect");
    assertTrue(r.path("client").asText().matches("[0-9a-f-]{36}"), r::toString);
    assertFalse(r.path("version").asText().isEmpty(), r::toString);
    assertEquals(25, r.path("ping").asInt(), r::toString);
    assertTrue(r.path("pong").asBoolean(), r::toString);
    // The token has exp one hour ahead: client-side refresh is announced.
    assertTrue(r.path("expires").asBoolean(), r::toString);
    long ttl = r.path("ttl").asLong();
    assertTrue(ttl > 3500 && ttl <= 3600, r::toString);

    RawClient other = open();
    String otherId = other.connect(token("alice")).get("client").asText();
    assertNotEquals(r.get("client").asText(), otherId, "connection ids are unique");
  }

  @Test
  void anonymousConnectIsAllowedByConfig() {
    RawClient c = open();
    ObjectNode r = c.connect(null);
    assertFalse(r.path("client").asText().isEmpty());
    assertFalse(r.has("expires"), r::toString);
    // The default namespace allows anonymous subscribers.
    String ch = channel("anon");
    c.subscribe(ch);
    api.publish(ch, "{\"n\":1}");
    ObjectNode p = c.await(pub(ch));
    assertEquals(1, p.get("push").get("pub").get("data").get("n").asInt());
  }

  @Test
  void connectWithoutTokenIsRefusedWhenAnonymousIsNotAllowed() {
    TestNode strict = startNode("{\"client\":{\"allow_anonymous_connect_without_token\":false}}");
    RawClient c = open(strict);
    c.send("{\"id\":1,\"connect\":{}}");
    assertClosed(c, 3501);
    // A token still works there.
    RawClient ok = open(strict);
    assertFalse(ok.connect(token("bob")).path("client").asText().isEmpty());
  }

  @Test
  void badTokenSignatureClosesWith3500() {
    RawClient c = open();
    String forged = token(Map.of("sub", "mallory", "exp", System.currentTimeMillis() / 1000 + 3600), "other-secret");
    c.send("{\"id\":1,\"connect\":{\"token\":\"" + forged + "\"}}");
    assertClosed(c, 3500);
    assertTrue(c.unconsumed().isEmpty(), () -> "no reply expected: " + c.unconsumed());
  }

  @Test
  void malformedTokenClosesWith3500() {
    RawClient c = open();
    c.send("{\"id\":1,\"connect\":{\"token\":\"not.a.jwt\"}}");
    assertClosed(c, 3500);
  }

  @Test
  void expiredTokenGets109AndTheConnectionRefusesFurtherCommands() {
    RawClient c = open();
    String expired = token(Map.of("sub", "late", "exp", System.currentTimeMillis() / 1000 - 60));
    ObjectNode reply = c.call("connect", "{\"token\":\"" + expired + "\"}");
    assertEquals(109, errorCode(reply));
    assertFalse(c.isClosed());
    c.send("{\"id\":2,\"presence\":{\"channel\":\"x\"}}");
    assertClosed(c, 3501);
    assertTrue(c.unconsumed().isEmpty(), () -> "no reply to the refused command: " + c.unconsumed());
  }

  @Test
  void failedConnectDropsTheRestOfItsFrame() {
    RawClient c = open();
    String expired = token(Map.of("sub", "late", "exp", System.currentTimeMillis() / 1000 - 60));
    c.send("{\"id\":1,\"connect\":{\"token\":\"" + expired + "\"}}\n{\"id\":2,\"subscribe\":{\"channel\":\"dropped\"}}");
    assertEquals(109, errorCode(c.reply(1)));
    // Any later command closes; everything queued before the close went out first.
    c.send("{\"id\":3,\"connect\":{}}");
    assertClosed(c, 3501);
    assertTrue(c.unconsumed().isEmpty(), () -> "the subscribe after the failed connect got a reply: " + c.unconsumed());
  }

  @Test
  void secondConnectClosesWith3501() {
    RawClient c = connected("twice");
    c.send("{\"id\":2,\"connect\":{}}");
    assertClosed(c, 3501);
  }

  @Test
  void connectAndSubscribeInOneFrameAreAnsweredInOrder() {
    RawClient c = open();
    String ch = channel("batch");
    c.send("{\"connect\":{\"token\":\"" + token("frame") + "\",\"name\":\"js\"},\"id\":1}\n"
        + "{\"subscribe\":{\"channel\":\"" + ch + "\",\"flag\":1},\"id\":2}");
    ObjectNode first = c.next();
    ObjectNode second = c.next();
    assertEquals(1, first.path("id").asInt(), first::toString);
    assertTrue(first.has("connect"), first::toString);
    assertEquals(2, second.path("id").asInt(), second::toString);
    assertTrue(second.get("subscribe").path("recoverable").asBoolean(), second::toString);
  }

  // ---- framing and dispatch errors: all terminal 3501 ----------------------------------------

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of("command before connect", false, (Consumer<RawClient>) c ->
            c.send("{\"id\":1,\"subscribe\":{\"channel\":\"x\"}}")),
        Arguments.of("garbage", true, (Consumer<RawClient>) c -> c.send("this is not json")),
        Arguments.of("garbage before connect", false, (Consumer<RawClient>) c -> c.send("{\"id\":1,")),
        Arguments.of("json array", true, (Consumer<RawClient>) c -> c.send("[1,2]")),
        Arguments.of("empty frame", true, (Consumer<RawClient>) c -> c.send("")),
        Arguments.of("only a newline", true, (Consumer<RawClient>) c -> c.send("\n")),
        Arguments.of("two newlines between commands", true, (Consumer<RawClient>) c ->
            c.send("{\"id\":2,\"presence_stats\":{\"channel\":\"a\"}}\n\n{\"id\":3,\"presence_stats\":{\"channel\":\"a\"}}")),
        Arguments.of("two trailing newlines", true, (Consumer<RawClient>) c ->
            c.send("{\"id\":2,\"presence_stats\":{\"channel\":\"a\"}}\n\n")),
        Arguments.of("unknown field with id", true, (Consumer<RawClient>) c ->
            c.send("{\"id\":2,\"frobnicate\":{\"channel\":\"a\"}}")),
        Arguments.of("ping command", true, (Consumer<RawClient>) c -> c.send("{\"id\":2,\"ping\":{}}")),
        Arguments.of("request that is not an object", true, (Consumer<RawClient>) c ->
            c.send("{\"id\":2,\"subscribe\":\"chan\"}")),
        Arguments.of("negative id", true, (Consumer<RawClient>) c ->
            c.send("{\"id\":-1,\"presence_stats\":{\"channel\":\"a\"}}")),
        Arguments.of("unnecessary pong before any ping", true, (Consumer<RawClient>) c -> c.send("{}")),
        Arguments.of("command without id counts as an unnecessary pong", true, (Consumer<RawClient>) c ->
            c.send("{\"presence_stats\":{\"channel\":\"a\"}}")),
        Arguments.of("binary frame", true, (Consumer<RawClient>) c ->
            c.sendBinary("{\"id\":2,\"presence_stats\":{\"channel\":\"a\"}}".getBytes(StandardCharsets.UTF_8))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputClosesWith3501(String name, boolean connectFirst, Consumer<RawClient> input) {
    RawClient c = open();
    if (connectFirst) {
      c.connect(token("bad"));
    }
    input.accept(c);
    assertClosed(c, 3501);
  }

  @Test
  void unknownFieldsNextToAKnownCommandAreIgnored() {
    RawClient c = connected("lenient");
    ObjectNode r = c.call("unsubscribe", "{\"channel\":\"x\",\"future_field\":[1,2]}");
    assertEquals(json("{}"), r.get("unsubscribe"), r::toString);
    c.send("{\"id\":9,\"unsubscribe\":{\"channel\":\"x\"},\"future_command\":{}}");
    assertEquals(json("{}"), c.reply(9).get("unsubscribe"));
    // A trailing newline is tolerated.
    c.send("{\"id\":10,\"unsubscribe\":{\"channel\":\"x\"}}\n");
    assertEquals(json("{}"), c.reply(10).get("unsubscribe"));
    assertAlive(c);
  }

  @Test
  void aFailingClientNeverAffectsAnother() {
    String ch = channel("witness");
    RawClient witness = connected("witness");
    witness.subscribe(ch);
    int n = 0;
    for (Arguments args : badInputs().toList()) {
      Object[] a = args.get();
      RawClient bad = open();
      if ((Boolean) a[1]) {
        bad.connect(token("bad"));
        bad.subscribe(ch);
      }
      @SuppressWarnings("unchecked")
      Consumer<RawClient> input = (Consumer<RawClient>) a[2];
      input.accept(bad);
      assertEquals(3501, bad.awaitClose().code(), () -> "case " + a[0]);
      // The witness still receives publications, in order, and still answers commands.
      n++;
      long offset = api.publish(ch, "{\"case\":" + n + "}");
      ObjectNode p = witness.await(pub(ch));
      assertEquals(n, p.get("push").get("pub").get("data").get("case").asInt(), () -> "after case " + a[0]);
      assertEquals(offset, p.get("push").get("pub").get("offset").asLong());
      ObjectNode stats = witness.call("presence_stats", "{\"channel\":\"" + ch + "\"}");
      assertEquals(1, stats.get("presence_stats").get("num_clients").asInt(), () -> "after case " + a[0] + ": " + stats);
    }
  }

  @Test
  void frameOverTheMessageSizeLimitClosesWith1009() {
    TestNode small = startNode("{\"websocket\":{\"message_size_limit\":1024}}");
    RawClient c = open(small);
    c.connect(token("big"));
    String ch = channel("size");
    c.subscribe(ch);
    // Just under the limit is fine.
    String fits = "{\"id\":3,\"publish\":{\"channel\":\"" + ch + "\",\"data\":{\"s\":\"" + "x".repeat(900) + "\"}}}";
    assertTrue(fits.length() < 1024);
    assertTrue(c.call("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"s\":\"" + "x".repeat(900) + "\"}}")
        .has("publish"));
    // One byte frame well over it.
    c.send("{\"id\":9,\"publish\":{\"channel\":\"" + ch + "\",\"data\":{\"s\":\"" + "x".repeat(2000) + "\"}}}");
    assertClosed(c, 1009);

    RawClient other = open(small);
    other.connect(token("big2"));
    assertAlive(other);
  }

  @Test
  void messageOverTheSizeLimitInSeveralFramesClosesWith1009() {
    TestNode small = startNode("{\"websocket\":{\"message_size_limit\":1024}}");
    RawClient c = open(small);
    c.connect(token("frag"));
    // Each frame is under the limit; the message they make is not.
    String message = "{\"id\":2,\"publish\":{\"channel\":\"frag\",\"data\":{\"s\":\"" + "y".repeat(1500) + "\"}}}";
    c.sendFragmented(message.substring(0, 600), message.substring(600, 1200), message.substring(1200));
    assertClosed(c, 1009);
  }

  // ---- subscribe ----------------------------------------------------------------------------

  @Test
  void subscribeTwiceIs105() {
    RawClient c = connected("sub2");
    String ch = channel("dup");
    c.subscribe(ch);
    assertEquals(105, errorCode(c.call("subscribe", "{\"channel\":\"" + ch + "\"}")));
    // Still connected and subscribed.
    api.publish(ch, "{\"still\":true}");
    assertTrue(c.await(pub(ch)).get("push").get("pub").get("data").get("still").asBoolean());
  }

  @Test
  void subscribeToUnknownNamespaceIs102() {
    RawClient c = connected("ns");
    assertEquals(102, errorCode(c.call("subscribe", "{\"channel\":\"nosuchns:room\"}")));
  }

  @Test
  void tooLongOrNonAsciiChannelIs107() {
    RawClient c = connected("names");
    assertEquals(107, errorCode(c.call("subscribe", "{\"channel\":\"" + "a".repeat(256) + "\"}")));
    assertTrue(c.call("subscribe", "{\"channel\":\"" + "b".repeat(255) + "\"}").has("subscribe"),
        "255 characters is the maximum, not over it");
    assertEquals(107, errorCode(c.call("subscribe", "{\"channel\":\"caf\u00e9\"}")));
    assertEquals(107, errorCode(c.call("subscribe", "{\"channel\":\"\"}")));
  }

  @Test
  void lockedNamespaceIs103() {
    RawClient c = connected("locked");
    assertEquals(103, errorCode(c.call("subscribe", "{\"channel\":\"locked:x\"}")));
  }

  @Test
  void privateChannelNeedsASubscriptionToken() {
    RawClient c = connected("priv");
    String ch = "$" + channel("secret");
    assertEquals(103, errorCode(c.call("subscribe", "{\"channel\":\"" + ch + "\"}")));
    String subToken = token(Map.of("sub", "priv", "channel", ch, "exp", System.currentTimeMillis() / 1000 + 3600));
    ObjectNode ok = c.call("subscribe", "{\"channel\":\"" + ch + "\",\"token\":\"" + subToken + "\"}");
    assertTrue(ok.has("subscribe"), ok::toString);
  }

  @Test
  void subscriptionTokenOfAnotherUserClosesWith3500() {
    RawClient c = connected("owner");
    String ch = "$" + channel("theirs");
    String subToken = token(Map.of("sub", "someone-else", "channel", ch, "exp", System.currentTimeMillis() / 1000 + 3600));
    c.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + ch + "\",\"token\":\"" + subToken + "\"}}");
    assertClosed(c, 3500);
  }

  @Test
  void userLimitedChannelAllowsOnlyListedUsers() {
    String ch = "personal:" + channel("inbox") + "#user1";
    RawClient user1 = connected("user1");
    ObjectNode ok = user1.call("subscribe", "{\"channel\":\"" + ch + "\"}");
    assertTrue(ok.has("subscribe"), ok::toString);
    RawClient user2 = connected("user2");
    assertEquals(103, errorCode(user2.call("subscribe", "{\"channel\":\"" + ch + "\"}")));
    RawClient anonymous = open();
    anonymous.connect(null);
    assertEquals(103, errorCode(anonymous.call("subscribe", "{\"channel\":\"" + ch + "\"}")));
  }

  @Test
  void channelLimitIs106() {
    TestNode limited = startNode("{\"client\":{\"channel_limit\":2}}");
    RawClient c = open(limited);
    c.connect(token("greedy"));
    c.subscribe("one");
    c.subscribe("two");
    assertEquals(106, errorCode(c.call("subscribe", "{\"channel\":\"three\"}")));
    // Leaving one makes room again.
    assertTrue(c.call("unsubscribe", "{\"channel\":\"one\"}").has("unsubscribe"));
    assertTrue(c.call("subscribe", "{\"channel\":\"three\"}").has("subscribe"));
  }

  @Test
  void unsubscribeFromAChannelNotSubscribedSucceeds() {
    RawClient c = connected("unsub");
    ObjectNode r = c.call("unsubscribe", "{\"channel\":\"" + channel("never") + "\"}");
    assertEquals(json("{}"), r.get("unsubscribe"), r::toString);
    assertFalse(r.has("error"));
  }

  @Test
  void unsubscribeStopsDelivery() {
    RawClient c = connected("leaver");
    String gone = channel("gone");
    String marker = channel("marker");
    c.subscribe(gone);
    c.subscribe(marker);
    assertTrue(c.call("unsubscribe", "{\"channel\":\"" + gone + "\"}").has("unsubscribe"));
    api.publish(gone, "{\"x\":1}");
    api.publish(marker, "{\"x\":2}");
    c.await(pub(marker));
    assertTrue(c.unconsumed().stream().noneMatch(pub(gone)), () -> "delivered after unsubscribe: " + c.unconsumed());
  }

  // ---- rpc, send ----------------------------------------------------------------------------

  @Test
  void rpcWithoutAnyProxyIs108() {
    // No RPC proxy configured: no RPC handler at all, which Centrifugo answers 108 not available.
    RawClient c = connected("rpc");
    assertEquals(108, errorCode(c.call("rpc", "{\"method\":\"anything\",\"data\":{}}")));
    assertAlive(c);
  }

  @Test
  void sendClosesWith3508() {
    RawClient c = connected("sender");
    c.send("{\"send\":{\"data\":{\"hello\":1}}}");
    assertClosed(c, 3508);
  }

  // ---- publish ------------------------------------------------------------------------------

  @Test
  void publishNeedsASubscriptionInTheDefaultNamespace() {
    String ch = channel("pub");
    RawClient publisher = open();
    String publisherId = publisher.connect(token("writer")).get("client").asText();
    RawClient reader = connected("reader");
    reader.subscribe(ch);

    assertEquals(103, errorCode(publisher.call("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"t\":0}}")));

    ObjectNode sub = publisher.subscribe(ch);
    ObjectNode ok = publisher.call("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"text\":\"hi\"}}");
    assertEquals(json("{}"), ok.get("publish"), ok::toString);

    for (RawClient c : List.of(reader, publisher)) {
      ObjectNode p = c.await(pub(ch));
      JsonNode pub = p.get("push").get("pub");
      assertEquals(json("{\"text\":\"hi\"}"), pub.get("data"), p::toString);
      assertEquals("writer", pub.get("info").get("user").asText(), p::toString);
      assertEquals(publisherId, pub.get("info").get("client").asText(), p::toString);
      assertEquals(sub.get("offset").asLong() + 1, pub.get("offset").asLong(), p::toString);
      assertFalse(p.has("id"), "pushes carry no command id");
    }
  }

  @Test
  void anonymousSubscriberMayNotPublish() {
    String ch = channel("anonpub");
    RawClient c = open();
    c.connect(null);
    c.subscribe(ch);
    assertEquals(103, errorCode(c.call("publish", "{\"channel\":\"" + ch + "\",\"data\":{}}")));
  }

  // ---- presence and history -----------------------------------------------------------------

  @Test
  void presenceStatsAndHistoryReplies() {
    String ch = channel("room");
    RawClient a = open();
    String aId = a.connect(token("ann")).get("client").asText();
    RawClient b = open();
    String bId = b.connect(token("ben")).get("client").asText();
    ObjectNode subA = a.subscribe(ch);
    b.subscribe(ch);

    JsonNode presence = a.call("presence", "{\"channel\":\"" + ch + "\"}").get("presence").get("presence");
    assertEquals(2, presence.size(), presence::toString);
    assertEquals("ann", presence.get(aId).get("user").asText());
    assertEquals(aId, presence.get(aId).get("client").asText());
    assertEquals("ben", presence.get(bId).get("user").asText());

    JsonNode stats = a.call("presence_stats", "{\"channel\":\"" + ch + "\"}").get("presence_stats");
    assertEquals(json("{\"num_clients\":2,\"num_users\":2}"), stats);

    for (int i = 1; i <= 3; i++) {
      api.publish(ch, "{\"i\":" + i + "}");
    }
    JsonNode history = a.call("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}").get("history");
    assertEquals(subA.get("epoch").asText(), history.get("epoch").asText());
    assertEquals(3, history.get("offset").asLong());
    assertEquals(3, history.get("publications").size(), history::toString);
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, history.get("publications").get(i).get("offset").asLong());
      assertEquals(i + 1, history.get("publications").get(i).get("data").get("i").asInt());
    }
    JsonNode limited = a.call("history", "{\"channel\":\"" + ch + "\",\"limit\":2,\"reverse\":true}").get("history");
    assertEquals(2, limited.get("publications").size());
    assertEquals(3, limited.get("publications").get(0).get("offset").asLong());
    JsonNode since = a.call("history", "{\"channel\":\"" + ch + "\",\"limit\":10,\"since\":{\"offset\":2,\"epoch\":\""
        + subA.get("epoch").asText() + "\"}}").get("history");
    assertEquals(1, since.get("publications").size(), since::toString);
    assertEquals(3, since.get("publications").get(0).get("offset").asLong());
    JsonNode top = a.call("history", "{\"channel\":\"" + ch + "\"}").get("history");
    assertEquals(0, top.get("publications").size(), "no limit means position only: " + top);
    assertEquals(3, top.get("offset").asLong());

    // After leaving, the subscriber-only permissions no longer apply.
    b.call("unsubscribe", "{\"channel\":\"" + ch + "\"}");
    assertEquals(103, errorCode(b.call("presence", "{\"channel\":\"" + ch + "\"}")));
    assertEquals(103, errorCode(b.call("history", "{\"channel\":\"" + ch + "\",\"limit\":1}")));
    JsonNode after = a.call("presence_stats", "{\"channel\":\"" + ch + "\"}").get("presence_stats");
    assertEquals(1, after.get("num_clients").asInt(), after::toString);
  }

  @Test
  void presenceAndHistoryAreNotAvailableWithoutTheFeature() {
    RawClient c = connected("nofeat");
    String ch = "nohistory:" + channel("x");
    c.subscribe(ch);
    assertEquals(108, errorCode(c.call("presence", "{\"channel\":\"" + ch + "\"}")));
    assertEquals(108, errorCode(c.call("presence_stats", "{\"channel\":\"" + ch + "\"}")));
    assertEquals(108, errorCode(c.call("history", "{\"channel\":\"" + ch + "\",\"limit\":1}")));
  }

  @Test
  void historyPositionErrors() {
    String ch = channel("hist");
    RawClient c = connected("historian");
    ObjectNode sub = c.subscribe(ch);
    api.publish(ch, "{\"a\":1}");
    String epoch = sub.get("epoch").asText();
    assertEquals(112, errorCode(c.call("history",
        "{\"channel\":\"" + ch + "\",\"limit\":10,\"since\":{\"offset\":0,\"epoch\":\"other-" + epoch + "\"}}")));
    assertEquals(107, errorCode(c.call("history",
        "{\"channel\":\"" + ch + "\",\"limit\":10,\"reverse\":true,\"since\":{\"offset\":0,\"epoch\":\"" + epoch + "\"}}")));
    // An empty epoch matches any epoch.
    JsonNode any = c.call("history", "{\"channel\":\"" + ch + "\",\"limit\":10,\"since\":{\"offset\":0}}").get("history");
    assertEquals(1, any.get("publications").size(), any::toString);
  }

  // ---- ping/pong, stale ---------------------------------------------------------------------

  @Test
  void pingPong() {
    TestNode pinging = startNode("{\"client\":{\"ping_interval\":\"1s\",\"pong_timeout\":\"500ms\"}}");
    RawClient answering = open(pinging).autoPong(true);
    ObjectNode r = answering.connect(token("pong"));
    assertEquals(1, r.get("ping").asInt(), r::toString);
    assertTrue(r.get("pong").asBoolean(), r::toString);
    RawClient silent = open(pinging);
    silent.connect(token("silent"));

    ObjectNode ping = silent.await(RawClient::isPing, Duration.ofSeconds(3));
    assertEquals("{}", ping.toString());
    RawClient.Close close = silent.awaitClose(Duration.ofSeconds(3));
    assertEquals(3012, close.code(), close::toString);

    // The answering client saw several pings and is still served.
    answering.await(RawClient::isPing, Duration.ofSeconds(3));
    answering.await(RawClient::isPing, Duration.ofSeconds(3));
    assertAlive(answering);
  }

  @Test
  void staleConnectionIsClosedWith3502() {
    TestNode stale = startNode("{\"client\":{\"stale_close_delay\":\"300ms\"}}");
    RawClient active = open(stale);
    active.connect(token("active"));
    RawClient idle = open(stale);
    assertClosed(idle, 3502);
    assertAlive(active);
  }

  // ---- slow consumer ------------------------------------------------------------------------

  @Test
  void slowConsumerIsClosedWhileOthersReceiveEverything() throws Exception {
    // The queue holds 2.5 of the 100 KiB bursts below: a reader that keeps up survives a scheduling
    // stall of the loaded machine, one that stopped reading is cut. (With 64 KiB, a single burst
    // could overflow the fast reader's queue once WebSocket writes stopped going through Vert.x's
    // extra, unbounded 16-frame queue.)
    TestNode n = startNode("{\"client\":{\"queue_max_size\":262144}}");
    RawClient.Api napi = new RawClient.Api(n.port());
    String ch = channel("firehose");
    RawClient slow = closedAfterTest(RawClient.open(vertx, n.port(), new WebSocketClientOptions().setReceiveBufferSize(4096)));
    slow.connect(token("slow"));
    slow.subscribe(ch);
    RawClient fast = open(n);
    fast.connect(token("fast"));
    fast.subscribe(ch);
    slow.pause();

    String payload = "{\"s\":\"" + "x".repeat(1024) + "\"}";
    int batch = 100;
    int published = 0;
    boolean slowGone = false;
    while (!slowGone) {
      if (published >= 60_000) {
        fail("the paused client was not disconnected after " + published + " publications of 1 KiB");
      }
      StringBuilder commands = new StringBuilder("{\"commands\":[");
      for (int i = 0; i < batch; i++) {
        if (i > 0) {
          commands.append(',');
        }
        commands.append("{\"publish\":{\"channel\":\"").append(ch).append("\",\"data\":").append(payload).append("}}");
      }
      commands.append("]}");
      ObjectNode replies = napi.call("batch", commands.toString());
      for (JsonNode reply : replies.get("replies")) {
        assertTrue(reply.has("publish"), reply::toString);
      }
      published += batch;
      JsonNode channels = napi.result("channels", "{\"pattern\":\"" + ch + "\"}").get("channels");
      slowGone = channels.path(ch).path("num_clients").asInt() == 1;
    }

    // The fast client got every publication, in order.
    for (int offset = 1; offset <= published; offset++) {
      ObjectNode p = fast.await(pub(ch));
      assertEquals(offset, p.get("push").get("pub").get("offset").asLong());
    }
    assertFalse(fast.isClosed());

    slow.resume();
    RawClient.Close close = slow.awaitClose(Duration.ofSeconds(15));
    assertTrue(close.code() == 3008 || close.code() == -1, close::toString);
    int slowReceived = (int) slow.unconsumed().stream().filter(pub(ch)).count();
    assertTrue(slowReceived < published, "the slow client cannot have received everything");
  }

  // ---- misc ---------------------------------------------------------------------------------

  @Test
  void joinAndLeavePushesForSubscribersThatAskForThem() {
    String ch = channel("jl");
    RawClient watcher = connected("watcher");
    ObjectNode r = watcher.call("subscribe", "{\"channel\":\"" + ch + "\",\"join_leave\":true}");
    assertTrue(r.has("subscribe"), r::toString);
    watcher.await(push(ch, "join"));  // its own join
    RawClient visitor = open();
    String visitorId = visitor.connect(token("visitor")).get("client").asText();
    visitor.subscribe(ch);
    ObjectNode join = watcher.await(push(ch, "join"));
    assertEquals("visitor", join.get("push").get("join").get("info").get("user").asText());
    assertEquals(visitorId, join.get("push").get("join").get("info").get("client").asText());
    visitor.call("unsubscribe", "{\"channel\":\"" + ch + "\"}");
    ObjectNode leave = watcher.await(push(ch, "leave"));
    assertEquals(visitorId, leave.get("push").get("leave").get("info").get("client").asText());
  }
}
