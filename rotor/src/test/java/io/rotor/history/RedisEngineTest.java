package io.rotor.history;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis engine with a real redis-server: history streams and their epoch survive a node
 * restart, MAXLEN bounds them, losing Redis' data starts a new epoch that no client recovers
 * across, and presence is shared by nodes and expires when its node stops refreshing it.
 */
class RedisEngineTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static RedisProcess redis;
  private static Vertx vertx;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
    closeAfter.clear();
  }

  static String redisConfig(RedisProcess redis, String prefix, String extra) {
    return RawClient.config("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\"" + redis.address()
        + "\"], \"prefix\": \"" + prefix + "\", \"presence_ttl\": \"2s\"}}" + extra + "}");
  }

  private TestNode node(String prefix) {
    TestNode n = TestNode.start(redisConfig(redis, prefix, ""), Map.of());
    closeAfter.add(n);
    return n;
  }

  private RawClient client(TestNode on, String user) {
    RawClient c = RawClient.open(vertx, on.port());
    closeAfter.add(c);
    c.connect(token(user));
    return c;
  }

  private static String unique(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  @Test
  void historyAndEpochOutliveTheNode() throws Exception {
    String prefix = unique("p");
    String ch = unique("ch");
    TestNode first = node(prefix);
    RawClient.Api api = new RawClient.Api(first.port());
    for (int i = 1; i <= 5; i++) {
      assertEquals(i, api.publish(ch, "{\"n\":" + i + "}"));
    }
    ObjectNode h = api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}");
    String epoch = h.get("epoch").asText();
    assertEquals(5, h.get("offset").asLong());
    assertEquals(5, h.get("publications").size());
    assertEquals(1, h.get("publications").get(0).get("data").get("n").asInt());
    assertEquals(5, h.get("publications").get(4).get("offset").asLong());
    first.close();
    closeAfter.remove(first);

    // Another node on the same Redis continues the stream and recovers a client from it.
    TestNode second = node(prefix);
    RawClient.Api api2 = new RawClient.Api(second.port());
    assertEquals(6, api2.publish(ch, "{\"n\":6}"));
    RawClient c = client(second, "u1");
    ObjectNode r = c.call("subscribe", RawClient.JSON.createObjectNode()
        .put("channel", ch).put("recover", true).put("offset", 3).put("epoch", epoch));
    JsonNode sub = r.get("subscribe");
    assertTrue(sub.path("recovered").asBoolean(), () -> "not recovered: " + r);
    assertEquals(epoch, sub.get("epoch").asText());
    assertEquals(List.of(4L, 5L, 6L), offsets(sub.get("publications")));

    // since/reverse reads
    ObjectNode rev = api2.result("history", "{\"channel\":\"" + ch + "\",\"limit\":2,\"reverse\":true,"
        + "\"since\":{\"offset\":5,\"epoch\":\"" + epoch + "\"}}");
    assertEquals(List.of(4L, 3L), offsets(rev.get("publications")));
    ObjectNode fwd = api2.result("history", "{\"channel\":\"" + ch + "\",\"limit\":2,"
        + "\"since\":{\"offset\":2,\"epoch\":\"" + epoch + "\"}}");
    assertEquals(List.of(3L, 4L), offsets(fwd.get("publications")));
  }

  @Test
  void streamsAreCappedAtHistorySize() {
    TestNode n = node(unique("p"));
    RawClient.Api api = new RawClient.Api(n.port());
    String ch = "small:" + unique("ch");
    for (int i = 1; i <= 8; i++) {
      api.publish(ch, "{\"n\":" + i + "}");
    }
    ObjectNode h = api.result("history", "{\"channel\":\"" + ch + "\",\"limit\":-1}");
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), offsets(h.get("publications")));
    assertEquals(8, h.get("offset").asLong());
  }

  @Test
  void flushallStartsANewEpochAndNobodyRecoversAcrossIt() throws Exception {
    TestNode n = node(unique("p"));
    RawClient.Api api = new RawClient.Api(n.port());
    String ch = unique("ch");
    RawClient c = client(n, "u1");
    ObjectNode sub = c.subscribe(ch);
    String epoch = sub.get("epoch").asText();
    api.publish(ch, "{\"n\":1}");
    assertEquals(1, c.await(pub(ch)).get("push").get("pub").get("offset").asLong());

    redis.command("FLUSHALL");
    ObjectNode after = api.result("publish", "{\"channel\":\"" + ch + "\",\"data\":{\"n\":2}}");
    assertEquals(1, after.get("offset").asLong(), "offsets restart in the new stream");
    assertNotEquals(epoch, after.get("epoch").asText());

    // The live publication carries the new epoch: the client is told its state is insufficient.
    ObjectNode unsub = c.await(push(ch, "unsubscribe"));
    assertEquals(2500, unsub.get("push").get("unsubscribe").get("code").asInt());
    ObjectNode r = c.call("subscribe", RawClient.JSON.createObjectNode()
        .put("channel", ch).put("recover", true).put("offset", 1).put("epoch", epoch));
    JsonNode again = r.get("subscribe");
    assertFalse(again.path("recovered").asBoolean(), () -> "recovered across a data loss: " + r);
    assertEquals(after.get("epoch").asText(), again.get("epoch").asText());
    assertFalse(again.has("publications"));
  }

  @Test
  void presenceIsSharedAndExpiresWhenItsNodeStopsRefreshing() throws Exception {
    String prefix = unique("p");
    TestNode a = node(prefix);
    TestNode b = node(prefix);
    String ch = unique("ch");
    client(a, "alice").subscribe(ch);
    client(b, "bob").subscribe(ch);
    RawClient.Api api = new RawClient.Api(a.port());
    JsonNode stats = TestCluster.awaitPresence(api, ch, 2);
    assertEquals(2, stats.get("num_users").asInt());
    ObjectNode presence = api.result("presence", "{\"channel\":\"" + ch + "\"}");
    List<String> users = new ArrayList<>();
    presence.get("presence").forEach(p -> users.add(p.get("user").asText()));
    users.sort(null);
    assertEquals(List.of("alice", "bob"), users);

    // A node that vanishes without cleaning up: its entries stop being refreshed and expire (ttl 2s).
    String otherPrefix = unique("p");
    String ch2 = unique("ch");
    io.rotor.redis.RedisShards shards = new io.rotor.redis.RedisShards(vertx,
        new io.rotor.config.RedisOptions().setAddress(List.of(redis.address())).setPrefix(otherPrefix));
    io.rotor.presence.RedisPresenceStore store = new io.rotor.presence.RedisPresenceStore(vertx, shards,
        java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(300));
    store.add(ch2, new io.rotor.core.ClientInfo("ghost", "c1", null, null)).await(5, TimeUnit.SECONDS);
    assertEquals(1, store.presence(ch2).await(5, TimeUnit.SECONDS).size());
    store.close();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!store.presence(ch2).await(5, TimeUnit.SECONDS).isEmpty()) {
      assertTrue(System.currentTimeMillis() < deadline, "presence of a dead node did not expire");
      Thread.sleep(200); // nothing to await: expiry is the passing of time itself
    }
    shards.close();
  }

  static List<Long> offsets(JsonNode pubs) {
    List<Long> out = new ArrayList<>();
    if (pubs != null) {
      pubs.forEach(p -> out.add(p.get("offset").asLong()));
    }
    return out;
  }
}
