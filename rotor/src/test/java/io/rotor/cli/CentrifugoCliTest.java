package io.rotor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Centrifugo's token and defaults commands: their options and the output scripts parse. */
class CentrifugoCliTest {

  @TempDir
  Path dir;

  private static CliTest.Run run(String... args) {
    return CliTest.run(args);
  }

  private Path config() throws Exception {
    Path c = dir.resolve("config.json");
    Files.writeString(c, "{\"client\": {\"token\": {\"hmac_secret_key\": \"cli-secret\"}}}");
    return c;
  }

  @Test
  void gentokenPrintsCentrifugosShapeAndChecktokenVerifiesIt() throws Exception {
    String c = config().toString();
    CliTest.Run gen = run("gentoken", "-c", c, "-u", "alice");
    Matcher m = Pattern.compile("^HMAC SHA-256 JWT for user \"alice\" with expiration TTL 168h0m0s:\n(\\S+)\n$").matcher(gen.out());
    assertTrue(m.matches(), gen.out());
    CliTest.Run check = run("checktoken", "-c", c, m.group(1));
    assertEquals(0, check.status(), check.out());
    assertTrue(check.out().startsWith("valid token for user alice\npayload: {\"sub\":\"alice\""), check.out());

    CliTest.Run quiet = run("gentoken", "--config=" + c, "--user", "bob", "-t", "-1", "-q");
    assertTrue(quiet.out().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+"), "the token alone, no newline: " + quiet.out());
    CliTest.Run forever = run("checktoken", "-c", c, quiet.out());
    assertTrue(forever.out().contains("\"sub\":\"bob\"") && !forever.out().contains("exp"), "no exp with -t -1: " + forever.out());
    assertTrue(run("gentoken", "-c", c).out().startsWith("HMAC SHA-256 JWT for anonymous user with expiration TTL"));

    CliTest.Run bad = run("checktoken", "-c", c, quiet.out() + "x");
    assertEquals(1, bad.status());
    assertTrue(bad.out().startsWith("error: token with algorithm HS256 and claims {\"sub\":\"bob\""), bad.out());
    assertEquals(1, run("checktoken", "-c", c).status());
  }

  @Test
  void gensubtokenAndChecksubtoken() throws Exception {
    String c = config().toString();
    CliTest.Run gen = run("gensubtoken", "-c", c, "-u", "alice", "-s", "news", "-t", "600");
    Matcher m = Pattern.compile("^HMAC SHA-256 JWT for user \"alice\" and channel \"news\" with expiration TTL 10m0s:\n(\\S+)\n$")
        .matcher(gen.out());
    assertTrue(m.matches(), gen.out());
    CliTest.Run check = run("checksubtoken", "-c", c, m.group(1));
    assertEquals(0, check.status(), check.out());
    assertTrue(check.out().startsWith("valid subscription token for user \"alice\" and channel \"news\"\npayload: "), check.out());
    CliTest.Run noChannel = run("gensubtoken", "-c", c, "-u", "alice");
    assertEquals(1, noChannel.status());
    assertEquals("channel is required\n", noChannel.out());
    // A connection token is not a subscription token: it has no channel.
    String connect = run("gentoken", "-c", c, "-u", "alice", "-q").out();
    assertEquals(1, run("checksubtoken", "-c", c, connect).status());
  }

  @Test
  void defaultconfigWritesEveryDefaultInEachFormat() throws Exception {
    for (String name : List.of("d.json", "d.yaml", "d.toml")) {
      Path file = dir.resolve(name);
      CliTest.Run r = run("defaultconfig", "-c", file.toString());
      assertEquals(0, r.status(), r.out());
      ConfigLoader.LoadResult back = ConfigLoader.loadWithWarnings(file, Map.of());
      assertEquals(List.of(), back.warnings(), name);
      assertEquals(new RotorOptions().toJson(), back.options().toJson(), name);
      assertEquals(1, run("defaultconfig", "-c", file.toString()).status(), "never overwrites");
    }
    assertTrue(run("defaultconfig", "-d", "-c", "x.yaml").out().startsWith("http_server:\n  address: \"0.0.0.0\"\n"));
    assertTrue(run("defaultconfig", "-c", dir.resolve("x.ini").toString()).out().startsWith("error: output config file"));
    Path base = config();
    CliTest.Run withBase = run("defaultconfig", "-d", "-b", base.toString());
    assertTrue(withBase.out().contains("\"hmac_secret_key\" : \"cli-secret\""), withBase.out());
  }

  /**
   * Centrifugo's --base-non-zero-only: the keys the base file sets to a non-zero value, read before
   * defaults and the environment (its envconfig's NonZeroInFile), not the keys that differ from defaults.
   */
  @Test
  void defaultenvBaseNonZeroOnlyPrintsWhatTheFileSetsNonZero() throws Exception {
    Path base = dir.resolve("non-zero.yaml");
    Files.writeString(base, String.join("\n",
        "http_server:", "  port: 8000", // the default, but set in the file
        "prometheus:", "  enabled: false", // zero
        "client:", "  ping_interval: 90s", "  pong_timeout: 0s", "  allowed_origins: []",
        "  token:", "    hmac_secret_key: \"\"",
        "channel:", "  namespaces:", "    - name: chat", "      presence: true", "      history_size: 0", ""));
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    int status = new DefaultsCommands(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8),
        Map.of("ROTOR_LOG_LEVEL", "debug")).defaultenv(new String[] {"defaultenv", "-b", base.toString(), "--base-non-zero-only"});
    assertEquals(0, status);
    List<String> lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertEquals(List.of("ROTOR_CHANNEL_NAMESPACES=\"chat\"", "ROTOR_CHANNEL_NAMESPACES_CHAT_NAME=\"chat\"",
        "ROTOR_CHANNEL_NAMESPACES_CHAT_PRESENCE=true", "ROTOR_CLIENT_PING_INTERVAL=1m30s",
        "ROTOR_HTTP_SERVER_PORT=8000"), lines,
        "the file's non-zero keys; not its zeros (false, 0, 0s, \"\", []), not defaults, not the environment's log level");
    // The values printed are the effective ones: the environment still applies to what is printed.
    buf.reset();
    new DefaultsCommands(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8),
        Map.of("ROTOR_HTTP_SERVER_PORT", "9000")).defaultenv(new String[] {"defaultenv", "-b", base.toString(), "--base-non-zero-only"});
    assertTrue(buf.toString(java.nio.charset.StandardCharsets.UTF_8).contains("ROTOR_HTTP_SERVER_PORT=9000\n"));
    buf.reset();
    new DefaultsCommands(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8), Map.of())
        .defaultenv(new String[] {"defaultenv", "--base-non-zero-only"});
    assertEquals("", buf.toString(java.nio.charset.StandardCharsets.UTF_8), "no base file: nothing is non-zero in it");
  }

  @Test
  void defaultenvListsEveryKeyAsCentrifugoWritesIt() throws Exception {
    Path base = dir.resolve("base.json");
    Files.writeString(base, "{\"client\": {\"allowed_origins\": [\"http://a\", \"http://b\"], \"ping_interval\": \"90s\"},"
        + " \"channel\": {\"namespaces\": [{\"name\": \"chat\", \"presence\": true, \"history_size\": 10, \"history_ttl\": \"1h\"}]}}");
    String all = run("defaultenv", "-b", base.toString()).out();
    for (String line : List.of("ROTOR_HTTP_SERVER_PORT=8000", "ROTOR_HTTP_SERVER_ADDRESS=\"0.0.0.0\"",
        "ROTOR_CLIENT_PING_INTERVAL=1m30s", "ROTOR_CLIENT_PONG_TIMEOUT=8s", "ROTOR_CLIENT_INSECURE=false",
        "ROTOR_CLIENT_ALLOWED_ORIGINS=\"http://a\" \"http://b\"", "ROTOR_CHANNEL_NAMESPACES=\"chat\"",
        "ROTOR_CHANNEL_NAMESPACES_CHAT_PRESENCE=true", "ROTOR_CHANNEL_NAMESPACES_CHAT_HISTORY_TTL=1h0m0s",
        "ROTOR_PROXIES=\"\"")) {
      assertTrue(all.contains(line + "\n"), line + " in\n" + all);
    }
    List<String> lines = all.lines().toList();
    assertEquals(lines.stream().sorted().toList(), lines, "sorted");
    String nonZero = run("defaultenv", "-b", base.toString(), "--base-non-zero-only", "--prefix", "CENTRIFUGO_").out();
    assertTrue(nonZero.contains("CENTRIFUGO_CLIENT_PING_INTERVAL=1m30s\n"), nonZero);
    assertTrue(!nonZero.contains("HTTP_SERVER_PORT"), "defaults are left out: " + nonZero);
    // Every variable it prints names a key Rotor reads: the names load without a warning.
    for (String line : lines) {
      String name = line.substring(0, line.indexOf('='));
      if (!line.endsWith("=") && !line.contains("=\"")) {
        assertEquals(List.of(), ConfigLoader.loadWithWarnings(base, Map.of(name, line.substring(name.length() + 1)))
            .warnings(), line);
      }
    }
  }
}
