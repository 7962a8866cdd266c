package io.rotor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real centrifuge-js 5.8 SDK (from npm, driven by Node) against a real node over WebSocket.
 * Each scenario asserts in JavaScript and exits non-zero on the first failure; see
 * src/test/node/scenarios for what each one checks.
 */
class CentrifugeJsTest {

  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static void scenario(String name, long timeoutSeconds) throws Exception {
    NodeScript.Result r = NodeScript.run(name, Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY), timeoutSeconds);
    assertEquals(0, r.exitCode(), () -> "scenario " + name + " failed:\n" + r.output());
  }

  @Test
  void connectSubscribeAndReceiveApiPublications() throws Exception {
    scenario("basic", 60);
  }

  @Test
  void reconnectRecoversExactlyTheMissedPublications() throws Exception {
    scenario("recovery", 60);
  }

  @Test
  void gapLargerThanHistoryIsNotRecovered() throws Exception {
    scenario("unrecovered", 60);
  }

  @Test
  void presenceAndJoinLeave() throws Exception {
    scenario("presence", 60);
  }

  @Test
  void historyCalls() throws Exception {
    scenario("history", 60);
  }

  @Test
  void permissionErrors() throws Exception {
    scenario("permissions", 60);
  }

  @Test
  void invalidAndExpiredTokens() throws Exception {
    scenario("tokens", 60);
  }

  @Test
  void connectionAndSubscriptionTokensAreRefreshedBySdk() throws Exception {
    scenario("tokenrefresh", 60);
  }

  @Test
  void twoHundredClientsReceiveAHundredPublicationsInOrder() throws Exception {
    scenario("load", 150);
  }

  /** Backend code written for Centrifugo with cent.js (npm) drives Rotor's HTTP API unchanged. */
  @Test
  void centJsServerApiClient() throws Exception {
    scenario("cent", 60);
  }
}
