package io.rotor.proxy;

import io.rotor.e2e.NodeScript;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connect proxy's {@code subs} and {@code meta} as the real centrifuge-js 5.8 sees them, JSON
 * and Protobuf builds (src/test/node/scenarios/connect-proxy.mjs), against a real backend.
 */
class ConnectProxyJsTest {

  private static Vertx vertx;
  private static Backend backend;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    backend = new Backend(vertx);
    String b = "http://127.0.0.1:" + backend.port();
    node = TestNode.start("""
        {"http_server": {"address": "127.0.0.1", "port": 0},
         "http_api": {"key": "%s"},
         "client": {"proxy": {"connect": {"enabled": true, "endpoint": "%s/connect"}}},
         "channel": {"namespaces": [
           {"name": "srv"},
           {"name": "cached", "history_size": 10, "history_ttl": "300s", "force_recovery": true,
            "force_recovery_mode": "cache"}]},
         "rpc": {"proxy": {"endpoint": "%s/rpc", "include_connection_meta": true},
                 "namespaces": [{"name": "meta", "proxy_enabled": true}]}}
        """.formatted(TestNode.API_KEY, b, b), Map.of());
    // The connect data names the user (JSON, or base64 of JSON from a Protobuf client).
    backend.handle("/connect", (body, req) -> {
      JsonObject data = body.containsKey("b64data")
          ? new JsonObject(new String(Base64.getDecoder().decode(body.getString("b64data"))))
          : body.getJsonObject("data");
      String user = data.getString("user");
      req.response().end(new JsonObject().put("result", new JsonObject()
          .put("user", user)
          .put("subs", new JsonObject()
              .put("srv:" + user, new JsonObject().put("data", new JsonObject().put("hello", user)))
              .put("cached:" + user, new JsonObject().put("cache_recover", true)))
          .put("meta", new JsonObject().put("tenant", user))).encode());
    });
    backend.echoMeta("/rpc");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    backend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "protobuf"})
  void centrifugeJsSeesSubsAndMeta(String build) throws Exception {
    NodeScript.assertPasses("connect-proxy", node.port(), build, Map.of(), 60);
  }
}
