package io.rotor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.e2e.NodeScript;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fossil delta compression through a 3-node cluster on Redis with the real centrifuge-js (JSON and
 * Protobuf builds): publications made through any node reach subscribers on every node as patches
 * the SDK decodes (src/test/node/scenarios/delta-cluster.mjs).
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

  private static void scenario(String build) throws Exception {
    String ports = cluster.nodes().stream().map(n -> String.valueOf(n.port())).collect(Collectors.joining(","));
    NodeScript.Result r = NodeScript.run("delta-cluster", Map.of(
        "ROTOR_PORT", String.valueOf(cluster.node(0).port()),
        "ROTOR_PORTS", ports,
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_BUILD", build), 120);
    assertEquals(0, r.exitCode(), () -> "delta-cluster (" + build + ") failed:\n" + r.output());
  }

  @Test
  void jsonBuild() throws Exception {
    scenario("json");
  }

  @Test
  void protobufBuild() throws Exception {
    scenario("protobuf");
  }
}
