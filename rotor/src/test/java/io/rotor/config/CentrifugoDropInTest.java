package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Centrifugo v6 configuration written four ways (centrifugo.json, .yaml, .toml and a
 * Centrifugo-style environment in centrifugo.env) resolves to the same options, and a node process
 * starts from each and serves what it says.
 */
class CentrifugoDropInTest {

  private static final Path DIR = Path.of("src/test/resources/io/rotor/config");

  static Map<String, String> centrifugoEnv() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DIR.resolve("centrifugo.env"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  @Test
  void jsonYamlTomlAndEnvironmentResolveToTheSameOptions() throws IOException {
    ConfigLoader.LoadResult json = ConfigLoader.loadWithWarnings(DIR.resolve("centrifugo.json"), Map.of());
    ConfigLoader.LoadResult yaml = ConfigLoader.loadWithWarnings(DIR.resolve("centrifugo.yaml"), Map.of());
    ConfigLoader.LoadResult toml = ConfigLoader.loadWithWarnings(DIR.resolve("centrifugo.toml"), Map.of());
    ConfigLoader.LoadResult env = ConfigLoader.loadWithWarnings(null, centrifugoEnv());
    for (ConfigLoader.LoadResult r : List.of(json, yaml, toml, env)) {
      assertEquals(List.of(), r.warnings());
    }
    assertEquals("drop-in-secret", json.options().getClient().getToken().getHmacSecretKey(), "the file was read");
    assertEquals(2, json.options().getChannel().getNamespaces().size());
    assertEquals(json.options().toJson(), yaml.options().toJson(), "YAML");
    assertEquals(json.options().toJson(), toml.options().toJson(), "TOML");
    assertEquals(json.options().toJson(), env.options().toJson(), "environment");
    assertTrue(!json.options().toJson().equals(new RotorOptions().toJson()));
  }

  @Test
  void yamlAndTomlErrorsNameTheKeyLikeJson() throws IOException {
    Path dir = Files.createTempDirectory("rotor-formats");
    Files.writeString(dir.resolve("bad.yaml"), "http_server:\n  port: eighty\n");
    Files.writeString(dir.resolve("bad.toml"), "[channel]\n[[channel.namespaces]]\nname = \"x\"\n");
    Files.writeString(dir.resolve("broken.yml"), "client: [\n");
    assertEquals("http_server.port: expected an integer, got \"eighty\"",
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
            () -> ConfigLoader.load(dir.resolve("bad.yaml"), Map.of())).getMessage());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.load(dir.resolve("bad.toml"), Map.of())).getMessage()
        .startsWith("channel.namespaces[0].name: invalid namespace name \"x\""));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.load(dir.resolve("broken.yml"), Map.of())).getMessage()
        .contains("is not valid YAML at line"));
  }

  /** A node process from each form: its port from the flag, namespaces, keys and admin UI from the config. */
  @ParameterizedTest
  @ValueSource(strings = {"yaml", "toml", "env"})
  void aNodeStartsFromEachForm(String form) throws Exception {
    List<String> args = form.equals("env") ? List.of("--port", "0")
        : List.of("--config", DIR.resolve("centrifugo." + form).toString(), "--port", "0");
    Map<String, String> env = form.equals("env") ? centrifugoEnv() : Map.of();
    try (NodeProcess node = NodeProcess.start(null, args, env)) {
      String line = node.awaitLine("listening on", 60);
      Matcher m = Pattern.compile("listening on [^:]+:(\\d+)").matcher(line);
      assertTrue(m.find(), line);
      int port = Integer.parseInt(m.group(1));
      String opened = node.awaitLine("open http://", 10);
      assertTrue(opened.contains("open http://localhost:" + port + "/admin/ (admin UI)"), opened);
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, get(http, port, "/health").statusCode());
      assertTrue(publish(http, port, "chat:room").contains("\"offset\":1"), "history of the chat namespace");
      assertTrue(publish(http, port, "news-feed:today").contains("\"result\""));
      assertTrue(publish(http, port, "nope:x").contains("\"code\":102"), "no such namespace");
      assertTrue(get(http, port, "/metrics").body().contains("# TYPE"), "prometheus.enabled");
      assertEquals(200, get(http, port, "/admin/").statusCode(), "admin.enabled");
      assertFalse(node.output().contains("|-INFO in ch.qos.logback"), "no Logback status lines");
      assertFalse(node.output().contains("unsafe for production"), node.output());
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String publish(HttpClient http, int port, String channel) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/publish"))
        .header("X-API-Key", "drop-in-api-key")
        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"data\":{\"n\":1}}")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
