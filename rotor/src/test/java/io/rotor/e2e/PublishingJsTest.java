package io.rotor.e2e;

import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real centrifuge-js 5.8 SDK (JSON and Protobuf builds) against a node with a personal channel namespace (single
 * connection): idempotent, versioned and base64 publishes, RPC without a proxy, the personal
 * channel. See src/test/node/scenarios/publishing.mjs.
 */
class PublishingJsTest {

  @ParameterizedTest
  @ValueSource(strings = {"json", "protobuf"})
  void centrifugeJsSeesPublishFeaturesAndThePersonalChannel(String build) throws Exception {
    String config = RawClient.config("""
        {"client": {"subscribe_to_user_personal_channel":
            {"enabled": true, "personal_channel_namespace": "user", "single_connection": true}},
         "channel": {"namespaces": [{"name": "user", "presence": true}]}}""");
    try (TestNode node = TestNode.start(config, Map.of())) {
      NodeScript.assertPasses("publishing", node.port(), build, Map.of(), 60);
    }
  }
}
