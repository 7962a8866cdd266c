package io.rotor.cluster;

import io.rotor.e2e.NodeScript;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fossil delta compression through a 3-node cluster on Redis with the real centrifuge-js (JSON and
 * Protobuf builds): publications made through any node reach subscribers on every node as patches
 * the SDK decodes; a publish with an idempotency_key retried through every node is delivered once
 * (src/test/node/scenarios/delta-cluster.mjs).
 */
class DeltaClusterTest {

  private static RedisProcess redis;
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    cluster = TestCluster.start(3, i -> redis.address(), """
        {"channel": {"namespaces": [{"name": "delta", "history_size": 100, "history_ttl": "300s",
          "force_recovery": true, "allowed_delta_types": ["fossil"], "allow_subscribe_for_client": true}]}}
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    redis.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "protobuf"})
  void deltaAndIdempotencyAcrossNodes(String build) throws Exception {
    String ports = cluster.nodes().stream().map(n -> String.valueOf(n.port())).collect(Collectors.joining(","));
    NodeScript.assertPasses("delta-cluster", cluster.node(0).port(), build, Map.of("ROTOR_PORTS", ports), 120);
  }
}
