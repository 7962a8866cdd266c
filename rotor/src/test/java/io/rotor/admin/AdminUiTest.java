package io.rotor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.e2e.NodeScript;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin UI end to end in headless Chromium (Debian's, installed by scripts/test.sh), driven by
 * playwright-core from src/test/node/scenarios/admin-ui.mjs, which asserts every step, against a
 * two-node cluster (the page lists and charts both). Screenshots of each page are left in
 * target/admin-screenshots.
 */
class AdminUiTest {

  static final Path SCREENSHOTS = Path.of("target/admin-screenshots").toAbsolutePath();

  @Test
  void logInPublishWatchLiveChartAndActOnUsersInChromium() throws Exception {
    try (TestCluster cluster = TestCluster.start(2, null, AdminApiTest.ADMIN_CONFIG)) {
      TestNode node = cluster.node(0);
      NodeScript.Result r = NodeScript.run("admin-ui", Map.of(
          "ROTOR_PORT", String.valueOf(node.port()),
          "ROTOR_NODE", node.server().nodeId(),
          "ROTOR_OTHER_PORT", String.valueOf(cluster.node(1).port()),
          "ROTOR_SECRET", TestNode.SECRET,
          "ROTOR_API_KEY", TestNode.API_KEY,
          "ROTOR_ADMIN_PASSWORD", AdminApiTest.PASSWORD,
          "ROTOR_SCREENSHOTS", SCREENSHOTS.toString()), 180);
      assertEquals(0, r.exitCode(), () -> "admin UI scenario failed:\n" + r.output());
    }
    for (String shot : new String[] {"01-wrong-password", "02-nodes", "03-channels", "04-channel", "05-actions",
        "06-charts"}) {
      assertTrue(Files.size(SCREENSHOTS.resolve(shot + ".png")) > 0, shot);
    }
  }
}
