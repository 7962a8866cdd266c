package io.rotor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.auth.ConnectToken;
import io.rotor.auth.TokenVerifier;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.testing.NodeProcess;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** genconfig, checkconfig, gentoken, version and --help, run as a user would. */
class CliTest {

  @TempDir
  Path dir;

  record Run(int status, String out, String err) {
  }

  /** Runs the command line as {@code rotor ARGS} would, capturing both streams. */
  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of()).run(args);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void genconfigWritesAValidConfigWithFreshSecretsAndGentokenSignsWithIt() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    assertEquals(0, run("genconfig", a.toString()).status());
    assertEquals(0, run("genconfig", b.toString()).status());
    RotorOptions oa = ConfigLoader.load(a, Map.of());
    RotorOptions ob = ConfigLoader.load(b, Map.of());
    String secret = oa.getClient().getToken().getHmacSecretKey();
    assertTrue(secret.length() >= 32, secret);
    assertTrue(!secret.equals(ob.getClient().getToken().getHmacSecretKey()), "secrets are fresh each time");
    assertTrue(!oa.getHttpApi().getKey().equals(ob.getHttpApi().getKey()));
    assertEquals(1, run("genconfig", a.toString()).status(), "never overwrites");

    Run check = run("checkconfig", a.toString());
    assertEquals(0, check.status(), check.err());
    assertTrue(check.out().contains("is valid"));

    Run token = run("gentoken", "-u", "alice", "--ttl", "600", "--config", a.toString(), "-q");
    assertEquals(0, token.status(), token.err());
    Vertx vertx = Vertx.vertx();
    try {
      ConnectToken t = TokenVerifier.hmac(vertx, secret).verifyConnect(token.out().trim()).await(5, TimeUnit.SECONDS);
      assertEquals("alice", t.user());
      long left = t.expireAt() - System.currentTimeMillis() / 1000;
      assertTrue(left > 590 && left <= 600, "ttl " + left);
    } finally {
      vertx.close();
    }
  }

  @Test
  void checkconfigExplainsWhatIsWrong() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"http_server\": {\"port\": 70000}}");
    Run r = run("checkconfig", bad.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("http_server.port"), r.err());
    assertEquals(1, run("checkconfig", dir.resolve("missing.json").toString()).status());
    assertEquals(2, run("gentoken", "--users", "x").status());
    assertTrue(run("gentoken", "--users", "x").err().contains("unknown option --users"));
  }

  @Test
  void versionAndHelp() {
    assertTrue(run("version").out().startsWith("rotor "));
    assertTrue(run("--help").out().contains("gentoken [-u USER]"));
    assertEquals(Cli.RUN_NODE, run("--config", "x.json").status());
  }

  @Test
  void jsonLogLinesCarryTheNodeId() throws Exception {
    try (NodeProcess node = NodeProcess.start(io.rotor.testing.RawClient.config("{}"), List.of(),
        Map.of("ROTOR_LOG_FORMAT", "JSON"))) {
      String line = node.awaitLine("listening on", 60);
      var json = io.rotor.testing.RawClient.json(line);
      assertEquals("INFO", json.get("level").asText());
      String nodeId = json.get("context").get("properties").get("node").asText();
      assertTrue(json.get("formattedMessage").asText().contains(nodeId), line);
    }
  }
}
