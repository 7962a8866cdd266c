package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml parses (SnakeYAML, which comes with the YAML config support and resolves the
 * file's anchors and merge keys as Compose does), and each node's environment loads over
 * conf/config.json without a warning.
 */
class DeploymentFilesTest {

  @Test
  @SuppressWarnings("unchecked")
  void composeNodesLoad() throws Exception {
    Map<String, Object> compose;
    try (Reader r = Files.newBufferedReader(Path.of("../docker-compose.yml"))) {
      compose = new Yaml().load(r);
    }
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    int nodes = 0;
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) service.getValue()).get("environment");
      if (env == null || !env.containsKey("ROTOR_CLUSTER_ENABLED")) {
        continue;
      }
      Map<String, String> vars = new LinkedHashMap<>();
      env.forEach((k, v) -> vars.put(k, String.valueOf(v)));
      ConfigLoader.LoadResult r = ConfigLoader.loadWithWarnings(Path.of("../conf/config.json"), vars);
      assertEquals(List.of(), r.warnings(), service.getKey());
      assertTrue(r.options().getCluster().isEnabled());
      assertEquals(List.of("node1:5701", "node2:5701", "node3:5701"), r.options().getCluster().getMembers());
      assertEquals(List.of("redis:6379"), r.options().getEngine().getRedis().getAddress());
      assertEquals(service.getKey(), r.options().getCluster().getPublicHost());
      nodes++;
    }
    assertEquals(3, nodes);
    assertTrue(services.containsKey("redis"));
  }
}
