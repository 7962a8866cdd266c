package io.rotor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real centrifuge-js 5.8 SDK (JSON and Protobuf builds) against a node with a personal channel namespace (single
 * connection): idempotent, versioned and base64 publishes, RPC without a proxy, the personal
 * channel. See src/test/node/scenarios/publishing.mjs.
 */
class PublishingJsTest {

  @Test
  void jsonBuild() throws Exception {
    scenario("json");
  }

  @Test
  void protobufBuild() throws Exception {
    scenario("protobuf");
  }

  private static void scenario(String build) throws Exception {
    String config = RawClient.config("""
        {"client": {"subscribe_to_user_personal_channel":
            {"enabled": true, "personal_channel_namespace": "user", "single_connection": true}},
         "channel": {"namespaces": [{"name": "user", "presence": true}]}}""");
    try (TestNode node = TestNode.start(config, Map.of())) {
      NodeScript.Result r = NodeScript.run("publishing", Map.of(
          "ROTOR_PORT", String.valueOf(node.port()),
          "ROTOR_SECRET", TestNode.SECRET,
          "ROTOR_API_KEY", TestNode.API_KEY,
          "ROTOR_BUILD", build), 60);
      assertEquals(0, r.exitCode(), () -> "scenario (" + build + ") failed:\n" + r.output());
    }
  }
}
