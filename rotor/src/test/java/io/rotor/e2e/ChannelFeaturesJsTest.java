package io.rotor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delta compression, tags filters and cache recovery with the real centrifuge-js 5.8, JSON and
 * Protobuf builds: the SDK's own fossil decoder applies Rotor's patches (src/test/node/scenarios/features.mjs).
 */
class ChannelFeaturesJsTest {

  static final String CONFIG = """
      {"http_server": {"address": "127.0.0.1", "port": 0},
       "client": {"token": {"hmac_secret_key": "%s"}},
       "http_api": {"key": "%s"},
       "channel": {"namespaces": [
         {"name": "delta", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
          "allowed_delta_types": ["fossil"], "allow_subscribe_for_client": true},
         {"name": "tags", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
          "allow_tags_filter": true, "allow_subscribe_for_client": true},
         {"name": "cache", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
          "force_recovery_mode": "cache", "allow_subscribe_for_client": true},
         {"name": "auto", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
          "force_recovery_mode": "cache", "auto_cache_recover": true, "allow_subscribe_for_client": true}]}}
      """.formatted(TestNode.SECRET, TestNode.API_KEY);

  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(CONFIG, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static void features(String build) throws Exception {
    NodeScript.Result r = NodeScript.run("features", Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_BUILD", build), 90);
    assertEquals(0, r.exitCode(), () -> "features (" + build + ") failed:\n" + r.output());
  }

  @Test
  void jsonBuild() throws Exception {
    features("json");
  }

  @Test
  void protobufBuild() throws Exception {
    features("protobuf");
  }
}
