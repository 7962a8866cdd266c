package io.rotor.proxy;

import static io.rotor.testing.RawClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.config.ConfigLoader;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connect proxy's {@code subs} and {@code meta} results and {@code include_connection_meta},
 * against a real backend HTTP server: server-side subscriptions with their own data, info, override
 * and cache_recover; the meta reaching exactly the proxies that ask for it, replaced by the refresh
 * proxy, and never sent to the client.
 */
class ConnectionMetaProxyTest {

  private static Vertx vertx;
  private static Backend backend;
  private static TestNode node;
  private final List<RawClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = new Backend(vertx);
    String b = "http://127.0.0.1:" + backend.port();
    node = TestNode.start(RawClient.config("""
        {
          "client": {"expired_sub_close_delay": "100ms", "proxy": {
            "connect": {"enabled": true, "endpoint": "%1$s/connect"},
            "refresh": {"enabled": true, "endpoint": "%1$s/refresh", "include_connection_meta": true}
          }},
          "channel": {
            "proxy": {
              "subscribe": {"endpoint": "%1$s/subscribe", "include_connection_meta": true},
              "publish": {"endpoint": "%1$s/publish", "include_connection_meta": true},
              "sub_refresh": {"endpoint": "%1$s/sub_refresh", "include_connection_meta": true}
            },
            "namespaces": [
              {"name": "room", "subscribe_proxy_enabled": true, "publish_proxy_enabled": true,
               "sub_refresh_proxy_enabled": true},
              {"name": "srv"},
              {"name": "cached", "history_size": 10, "history_ttl": "300s", "force_recovery": true,
               "force_recovery_mode": "cache"}
            ]
          },
          "rpc": {
            "proxy": {"endpoint": "%1$s/rpc", "include_connection_meta": true},
            "namespaces": [{"name": "meta", "proxy_enabled": true},
                           {"name": "bare", "proxy_enabled": true, "proxy_name": "bare"}]
          },
          "proxies": [{"name": "bare", "endpoint": "%1$s/bare"}]
        }
        """.formatted(b)), Map.of());
    // Every RPC proxy answers with the meta it was sent (null when none), so a client can see it.
    backend.echoMeta("/rpc");
    backend.echoMeta("/bare");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    backend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void cleanup() {
    clients.forEach(RawClient::close);
    clients.clear();
  }

  private RawClient open() {
    RawClient c = RawClient.open(vertx, node.port());
    clients.add(c);
    return c;
  }

  private static JsonNode rpcMeta(RawClient c, String method) {
    ObjectNode reply = c.call("rpc", "{\"method\": \"" + method + "\", \"data\": {}}");
    assertTrue(reply.has("rpc"), reply::toString);
    return reply.get("rpc").get("data").get("meta");
  }

  @Test
  void connectResultSubsAreServerSideSubscriptionsWithTheirOwnOptions() throws Exception {
    RawClient.Api api = new RawClient.Api(node.port());
    String latest = "cached:latest-" + System.nanoTime();
    String plain = "cached:plain-" + System.nanoTime();
    for (int n = 1; n <= 2; n++) {
      api.result("publish", "{\"channel\": \"" + latest + "\", \"data\": {\"n\": " + n + "}}");
      api.result("publish", "{\"channel\": \"" + plain + "\", \"data\": {\"n\": " + n + "}}");
    }
    backend.answer("/connect", """
        {"result": {"user": "alice", "channels": ["srv:a", "%s"],
          "subs": {
            "srv:a": {"data": {"from": "subs"}},
            "srv:b": {"b64data": "eyJoZWxsbyI6ImIifQ==", "info": {"seat": 1},
                      "override": {"join_leave": {"value": true}, "force_push_join_leave": {"value": true}}},
            "%s": {"cache_recover": true}},
          "meta": {"tenant": "t1"}}}
        """.formatted(plain, latest));
    RawClient c = open();
    ObjectNode connect = c.connect(null);
    JsonNode subs = connect.get("subs");
    assertEquals(json("{\"from\":\"subs\"}"), subs.get("srv:a").get("data"), "a channel in subs takes its subs entry");
    assertEquals(json("{\"hello\":\"b\"}"), subs.get("srv:b").get("data"), connect::toString);
    // cache_recover: the latest publication comes with the connect, only on the channel that asked.
    JsonNode recovered = subs.get(latest).get("publications");
    assertEquals(1, recovered.size(), connect::toString);
    assertEquals(2, recovered.get(0).get("data").get("n").asInt());
    assertEquals(0, subs.get(plain).path("publications").size(), connect::toString);
    // The override turned join pushes on, and the entry's info is this subscription's chan_info.
    ObjectNode join = c.await(RawClient.push("srv:b", "join"));
    assertEquals(json("{\"seat\":1}"), join.get("push").get("join").get("info").get("chan_info"), join::toString);
    // A publication on a server-side subscription reaches the client.
    api.result("publish", "{\"channel\": \"srv:a\", \"data\": {\"live\": true}}");
    c.await(RawClient.pub("srv:a"));

    assertFalse(c.frames().stream().anyMatch(f -> f.contains("tenant")), "the meta never reaches the client");

    // The meta: to the proxies with include_connection_meta (the RPC backend here echoes it back).
    assertEquals(json("{\"tenant\":\"t1\"}"), rpcMeta(c, "meta:x"));
    assertTrue(rpcMeta(c, "bare:x").isNull(), "a proxy without include_connection_meta gets no meta");
    backend.answer("/subscribe", "{\"result\": {}}");
    c.subscribe("room:1");
    assertEquals(new JsonObject().put("tenant", "t1"), backend.next("/subscribe").body().getJsonObject("meta"));
    backend.answer("/publish", "{\"result\": {}}");
    assertTrue(c.call("publish", "{\"channel\": \"room:1\", \"data\": {\"x\": 1}}").has("publish"));
    assertEquals(new JsonObject().put("tenant", "t1"), backend.next("/publish").body().getJsonObject("meta"));
  }

  @Test
  void refreshProxyGetsAndReplacesTheMetaAndSubRefreshGetsTheNewOne() throws Exception {
    backend.answer("/connect", "{\"result\": {\"user\": \"bob\", \"expire_at\": "
        + (System.currentTimeMillis() / 1000 + 1) + ", \"meta\": {\"v\": 1}}}");
    backend.handle("/refresh", (body, req) -> req.response().end(
        "{\"result\": {\"expire_at\": " + (System.currentTimeMillis() / 1000 + 3600) + ", \"meta\": {\"v\": 2}}}"));
    RawClient c = open();
    c.connect(null);
    assertEquals(json("{\"v\":1}"), rpcMeta(c, "meta:x"));
    assertEquals(new JsonObject().put("v", 1), backend.next("/refresh").body().getJsonObject("meta"));
    // The refresh answer is applied on the connection's loop after the backend saw the request.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!json("{\"v\":2}").equals(rpcMeta(c, "meta:x"))) {
      assertTrue(System.nanoTime() < deadline, "the refresh proxy's meta replaced the connection's");
    }
    backend.answer("/subscribe", "{\"result\": {\"expire_at\": " + (System.currentTimeMillis() / 1000 + 1) + "}}");
    backend.answer("/sub_refresh", "{\"result\": {\"expire_at\": " + (System.currentTimeMillis() / 1000 + 3600) + "}}");
    c.subscribe("room:2");
    Backend.Request subRefresh = backend.next("/sub_refresh");
    assertEquals("room:2", subRefresh.body().getString("channel"));
    assertEquals(new JsonObject().put("v", 2), subRefresh.body().getJsonObject("meta"));
  }

  @Test
  void badSubsInAConnectResultAreRefused() {
    backend.answer("/connect", "{\"result\": {\"user\": \"carl\", \"subs\": {\"nope:x\": {}}}}");
    assertEquals(102, open().call("connect", "{}").get("error").get("code").asInt(), "unknown namespace");
    backend.answer("/connect", "{\"result\": {\"user\": \"carl\", \"subs\": [\"srv:x\"]}}");
    assertEquals(100, open().call("connect", "{}").get("error").get("code").asInt(), "subs is not an object");
    backend.answer("/connect", "{\"result\": {\"user\": \"carl\", \"subs\": {\"srv:x\": {\"b64info\": \"%%%\"}}}}");
    assertEquals(100, open().call("connect", "{}").get("error").get("code").asInt(), "bad base64");
    backend.answer("/connect", "{\"result\": {\"user\": \"carl\", \"subs\": {\"srv:x\": "
        + "{\"override\": {\"presence\": \"yes\"}}}}}");
    assertEquals(100, open().call("connect", "{}").get("error").get("code").asInt(), "malformed override");
    // No meta in the result: the proxies get none.
    backend.answer("/connect", "{\"result\": {\"user\": \"carl\", \"meta\": null}}");
    RawClient c = open();
    c.connect(null);
    assertTrue(rpcMeta(c, "meta:x").isNull());
  }

  @Test
  void includeConnectionMetaOnTheConnectProxyIsNamedAtStartup() {
    ConfigLoader.LoadResult r = ConfigLoader.fromJsonWithWarnings("""
        {"client": {"proxy": {"connect": {"enabled": true, "endpoint": "http://127.0.0.1:1/c",
                                          "include_connection_meta": true}}}}
        """, Map.of());
    assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("config key client.proxy.connect.include_connection_meta")),
        r.warnings()::toString);
    assertNull(ConfigLoader.fromJsonWithWarnings("""
        {"rpc": {"proxy": {"include_connection_meta": true}}}
        """, Map.of()).warnings().stream().filter(w -> w.contains("include_connection_meta")).findAny().orElse(null));
  }
}
