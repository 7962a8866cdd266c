package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void defaultsWithoutFileOrEnv() {
    ConfigLoader.LoadResult r = ConfigLoader.loadWithWarnings(null, Map.of());
    assertEquals(List.of(), r.warnings());
    RotorOptions o = r.options();
    assertEquals("0.0.0.0", o.getHttpServer().getAddress());
    assertEquals(8000, o.getHttpServer().getPort());

    ClientOptions c = o.getClient();
    assertEquals("", c.getToken().getHmacSecretKey());
    assertEquals(List.of(), c.getAllowedOrigins());
    assertFalse(c.isAllowAnonymousConnectWithoutToken());
    assertFalse(c.isInsecure());
    assertEquals(Duration.ofSeconds(25), c.getPingInterval());
    assertEquals(Duration.ofSeconds(8), c.getPongTimeout());
    assertEquals(1048576, c.getQueueMaxSize());
    assertEquals(300, c.getHistoryMaxPublicationLimit());
    assertEquals(300, c.getRecoveryMaxPublicationLimit());
    assertEquals(Duration.ofSeconds(10), c.getStaleCloseDelay());
    assertEquals(Duration.ofSeconds(25), c.getExpiredCloseDelay());
    assertEquals(Duration.ofSeconds(25), c.getExpiredSubCloseDelay());
    assertEquals(128, c.getChannelLimit());
    assertEquals(0, c.getUserConnectionLimit());
    assertEquals(Duration.ofSeconds(40), c.getChannelPositionCheckDelay());
    assertEquals(Duration.ofSeconds(27), c.getPresenceUpdateInterval());
    assertFalse(c.isConnectIncludeServerTime());

    assertEquals("", o.getHttpApi().getKey());
    assertFalse(o.getHttpApi().isInsecure());
    assertEquals("/api", o.getHttpApi().getHandlerPrefix());
    assertFalse(o.getWebsocket().isDisabled());
    assertEquals(65536, o.getWebsocket().getMessageSizeLimit());
    assertEquals("memory", o.getEngine().getType());

    ChannelsOptions ch = o.getChannel();
    assertEquals(Duration.ofHours(720), ch.getHistoryMetaTtl());
    assertEquals(255, ch.getMaxLength());
    assertEquals("$", ch.getPrivatePrefix());
    assertEquals(":", ch.getNamespaceBoundary());
    assertEquals("#", ch.getUserBoundary());
    assertEquals(",", ch.getUserSeparator());
    assertEquals(List.of(), ch.getNamespaces());
    ChannelOptions wn = ch.getWithoutNamespace();
    assertFalse(wn.isPresence() || wn.isJoinLeave() || wn.isForceRecovery() || wn.isAllowSubscribeForClient());
    assertEquals(0, wn.getHistorySize());
    assertEquals(Duration.ZERO, wn.getHistoryTtl());
    assertNull(wn.getHistoryMetaTtl());
    assertEquals("stream", wn.getForceRecoveryMode());
    assertEquals("", wn.getChannelRegex());
    assertFalse(wn.historyEnabled());
  }

  @Test
  void defaultsEqualTheNoArgConstructors() {
    assertEquals(new RotorOptions().toJson(), ConfigLoader.fromJson("{}", Map.of()).toJson());
  }

  @Test
  void exampleConfigLoadsWithoutWarnings() {
    ConfigLoader.LoadResult r = ConfigLoader.loadWithWarnings(Path.of("../conf/config.json"), Map.of());
    assertEquals(List.of(), r.warnings());
    RotorOptions o = r.options();
    assertEquals(8000, o.getHttpServer().getPort());
    assertEquals("change-me-hmac-secret", o.getClient().getToken().getHmacSecretKey());
    assertEquals("change-me-api-key", o.getHttpApi().getKey());
    assertTrue(o.getClient().getAllowedOrigins().contains("http://localhost:8000"));
    assertTrue(o.getClient().isAllowAnonymousConnectWithoutToken());

    ChannelOptions wn = o.getChannel().getWithoutNamespace();
    assertTrue(wn.isPresence() && wn.isJoinLeave() && wn.isForceRecovery());
    assertEquals(100, wn.getHistorySize());
    assertEquals(Duration.ofSeconds(300), wn.getHistoryTtl());
    assertTrue(wn.historyEnabled());
    assertTrue(wn.isAllowSubscribeForClient() && wn.isAllowPublishForSubscriber()
        && wn.isAllowPresenceForSubscriber() && wn.isAllowHistoryForSubscriber());

    NamespaceOptions chat = o.getChannel().namespace("chat").orElseThrow();
    assertTrue(chat.isAllowPublishForClient() && chat.isPresence() && chat.historyEnabled());
    assertTrue(o.getChannel().namespace("personal").orElseThrow().isAllowUserLimitedChannels());
    assertTrue(o.getChannel().namespace("nope").isEmpty());
  }

  @Test
  void missingFile() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Path.of("../conf/does-not-exist.json"), Map.of()));
    assertTrue(e.getMessage().startsWith("config file not found: "), e.getMessage());
    assertTrue(e.getMessage().contains("does-not-exist.json"), e.getMessage());
  }

  @Test
  void invalidJsonNamesLineAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"http_server\": {\n    \"port\": 8000,\n  }\n}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    assertTrue(e.getMessage().contains("line 4, column 3"), e.getMessage());

    assertTrue(error("{\"a\": 1} trailing").contains("not valid JSON"));
    assertTrue(error("{\"a\": 1, \"a\": 2}").contains("Duplicate field 'a'"));
    assertTrue(error("[]").contains("must be a JSON object"));
    assertTrue(error("").contains("must be a JSON object"));
  }

  @Test
  void durationsMayBeNumbersOfSeconds() {
    RotorOptions o = ConfigLoader.fromJson("""
        {"client": {"ping_interval": 30, "pong_timeout": 2.5},
         "channel": {"without_namespace": {"history_size": 10, "history_ttl": "1m30s"}}}
        """, Map.of());
    assertEquals(Duration.ofSeconds(30), o.getClient().getPingInterval());
    assertEquals(Duration.ofMillis(2500), o.getClient().getPongTimeout());
    assertEquals(Duration.ofSeconds(90), o.getChannel().getWithoutNamespace().getHistoryTtl());
  }

  @Test
  void toJsonReadsBackToTheSameOptions() {
    RotorOptions o = ConfigLoader.load(Path.of("../conf/config.json"), Map.of());
    var json = o.toJson();
    assertEquals("5m", json.at("/channel/without_namespace/history_ttl").asText()); // "300s" in the file
    assertEquals("720h", json.at("/channel/history_meta_ttl").asText());
    assertTrue(json.at("/channel/namespaces/0/history_meta_ttl").isNull());
    assertEquals("chat", json.at("/channel/namespaces/0/name").asText());
    assertEquals("name", json.at("/channel/namespaces/0").fieldNames().next(), "name comes first");
    assertFalse(json.at("/channel/without_namespace").has("history_enabled"));
    ConfigLoader.LoadResult again = ConfigLoader.fromJsonWithWarnings(json.toString(), Map.of());
    assertEquals(List.of(), again.warnings());
    assertEquals(json, again.options().toJson());
  }

  @Test
  void unknownKeysAreCollectedWarnings() {
    ConfigLoader.LoadResult r = ConfigLoader.fromJsonWithWarnings("""
        {"log_level": "debug",
         "client": {"token": {"hmac_secret_key": "s", "user_id_claim": ""}},
         "channel": {"without_namespace": {"name": "x", "presence": true},
                     "namespaces": [{"name": "ab"}, {"name": "cd", "delta": true}]}}
        """, Map.of());
    assertEquals(List.of("unknown config key log_level", "config key client.token.user_id_claim is a Centrifugo v6 option not supported by Rotor: ignored",
        "unknown config key channel.without_namespace.name", "unknown config key channel.namespaces[1].delta"),
        r.warnings());
    assertTrue(r.options().getChannel().getWithoutNamespace().isPresence(), "known keys still apply");
  }

  @Test
  void namespaceZeroMetaTtlInherits() {
    RotorOptions o = ConfigLoader.fromJson("""
        {"channel": {"history_meta_ttl": "2h",
                     "namespaces": [{"name": "ab", "history_meta_ttl": "0s"},
                                    {"name": "cd", "history_meta_ttl": "3h"},
                                    {"name": "ef", "history_meta_ttl": null}]}}
        """, Map.of());
    ChannelsOptions ch = o.getChannel();
    assertNull(ch.namespace("ab").orElseThrow().getHistoryMetaTtl());
    assertEquals(Duration.ofHours(2), ch.effectiveHistoryMetaTtl(ch.namespace("ab").orElseThrow()));
    assertEquals(Duration.ofHours(3), ch.effectiveHistoryMetaTtl(ch.namespace("cd").orElseThrow()));
    assertEquals(Duration.ofHours(2), ch.effectiveHistoryMetaTtl(ch.namespace("ef").orElseThrow()));
  }

  @Test
  void namespaceLookupFollowsTheList() {
    ChannelsOptions ch = new ChannelsOptions();
    assertTrue(ch.namespace("chat").isEmpty());
    ch.getNamespaces().add(new NamespaceOptions().setName("chat").setPresence(true));
    assertTrue(ch.namespace("chat").orElseThrow().isPresence());
    ch.setNamespaces(new ArrayList<>(List.of(new NamespaceOptions().setName("news"))));
    assertTrue(ch.namespace("chat").isEmpty());
    assertTrue(ch.namespace("news").isPresent());
    assertTrue(ch.namespace(null).isEmpty());
  }

  // ---- wrong JSON types ------------------------------------------------------------------------

  @Test
  void wrongTypesNameTheKey() {
    assertError("{\"http_server\": {\"port\": \"abc\"}}", "http_server.port", "expected an integer, got \"abc\"");
    assertError("{\"http_server\": {\"port\": 80.5}}", "http_server.port", "expected an integer");
    assertError("{\"http_server\": {\"port\": 99999999999}}", "http_server.port", "in range");
    assertError("{\"http_server\": 8000}", "http_server", "expected a JSON object");
    assertError("{\"http_server\": null}", "http_server", "must not be null");
    assertError("{\"client\": {\"insecure\": \"yes\"}}", "client.insecure", "expected true or false");
    assertError("{\"http_api\": {\"key\": 123}}", "http_api.key", "expected a string");
    assertError("{\"client\": {\"allowed_origins\": \"*\"}}", "client.allowed_origins", "expected a JSON array");
    assertError("{\"client\": {\"allowed_origins\": [null]}}", "client.allowed_origins[0]", "must not be null");
    assertError("{\"client\": {\"ping_interval\": \"soon\"}}", "client.ping_interval", "invalid duration \"soon\"");
    assertError("{\"client\": {\"ping_interval\": -5}}", "client.ping_interval", "negative");
    assertError("{\"client\": {\"ping_interval\": \"-5s\"}}", "client.ping_interval", "negative");
    assertError("{\"client\": {\"ping_interval\": true}}", "client.ping_interval", "expected a duration");
    assertError("{\"channel\": {\"namespaces\": [{\"name\": \"ab\"}, {\"name\": \"cd\", \"history_ttl\": \"x\"}]}}",
        "channel.namespaces[1].history_ttl", "invalid duration");
    assertError("{\"channel\": {\"namespaces\": [{\"name\": \"ab\"}, {\"name\": \"cd\", \"history_size\": \"10\"}]}}",
        "channel.namespaces[1].history_size", "expected an integer");
    assertError("{\"channel\": {\"namespaces\": {\"name\": \"ab\"}}}", "channel.namespaces", "expected a JSON array");
  }

  // ---- environment -----------------------------------------------------------------------------

  @Test
  void envOverridesNestedKeys() {
    RotorOptions o = ConfigLoader.load(Path.of("../conf/config.json"), Map.of(
        "ROTOR_HTTP_SERVER_PORT", "8001",
        "ROTOR_HTTP_SERVER_ADDRESS", "127.0.0.1",
        "ROTOR_CLIENT_TOKEN_HMAC_SECRET_KEY", "from-env",
        "ROTOR_CLIENT_PING_INTERVAL", "1m",
        "ROTOR_CLIENT_PONG_TIMEOUT", "5",
        "ROTOR_CLIENT_INSECURE", "TRUE",
        "ROTOR_CHANNEL_WITHOUT_NAMESPACE_PRESENCE", "false",
        "ROTOR_CHANNEL_WITHOUT_NAMESPACE_HISTORY_META_TTL", "2h",
        "ROTOR_ENGINE_TYPE", "memory",
        "PATH", "/usr/bin"));
    assertEquals(8001, o.getHttpServer().getPort());
    assertEquals("127.0.0.1", o.getHttpServer().getAddress());
    assertEquals("from-env", o.getClient().getToken().getHmacSecretKey());
    assertEquals(Duration.ofMinutes(1), o.getClient().getPingInterval());
    assertEquals(Duration.ofSeconds(5), o.getClient().getPongTimeout());
    assertTrue(o.getClient().isInsecure());
    assertFalse(o.getChannel().getWithoutNamespace().isPresence());
    assertEquals(Duration.ofHours(2), o.getChannel().getWithoutNamespace().getHistoryMetaTtl());
    assertEquals("change-me-api-key", o.getHttpApi().getKey(), "keys not overridden keep the file's value");
    assertEquals(100, o.getChannel().getWithoutNamespace().getHistorySize());
  }

  @Test
  void envOverridesWithJsonValues() {
    RotorOptions o = ConfigLoader.load(Path.of("../conf/config.json"), Map.of(
        "ROTOR_CHANNEL_NAMESPACES", "[{\"name\":\"chat\",\"presence\":true}]",
        "ROTOR_CLIENT_ALLOWED_ORIGINS", "[\"*\"]",
        "ROTOR_CLIENT_TOKEN", "{\"hmac_secret_key\": \"object-merge\"}"));
    assertEquals(1, o.getChannel().getNamespaces().size(), "a list is replaced, not merged");
    NamespaceOptions chat = o.getChannel().namespace("chat").orElseThrow();
    assertTrue(chat.isPresence());
    assertFalse(chat.isAllowPublishForClient());
    assertEquals(List.of("*"), o.getClient().getAllowedOrigins());
    assertEquals("object-merge", o.getClient().getToken().getHmacSecretKey());
  }

  @Test
  void envObjectsMergeAndSpecificVariablesWin() {
    RotorOptions o = ConfigLoader.fromJson("{\"client\": {\"channel_limit\": 5}}", Map.of(
        "ROTOR_CLIENT", "{\"insecure\": true, \"user_connection_limit\": 3}",
        "ROTOR_CLIENT_USER_CONNECTION_LIMIT", "4"));
    assertTrue(o.getClient().isInsecure());
    assertEquals(5, o.getClient().getChannelLimit(), "merged into the file's object");
    assertEquals(4, o.getClient().getUserConnectionLimit());
  }

  @Test
  void emptyEnvValueMeansUnset() {
    RotorOptions o = ConfigLoader.fromJson("{\"http_api\": {\"key\": \"k\"}}",
        Map.of("ROTOR_HTTP_API_KEY", "", "ROTOR_HTTP_SERVER_PORT", ""));
    assertEquals("k", o.getHttpApi().getKey());
    assertEquals(8000, o.getHttpServer().getPort());
  }

  @Test
  void unmatchedEnvIsAWarning() {
    ConfigLoader.LoadResult r = ConfigLoader.loadWithWarnings(null, Map.of(
        "ROTOR_HTTP_SERVER_PROT", "9000", "ROTOR_JAVA_OPTS", "-Xmx1g", "ROTOR_LOG_LEVEL", "DEBUG", "HOME", "/root"));
    assertEquals(List.of("environment variable ROTOR_HTTP_SERVER_PROT matches no config key"), r.warnings());
    assertEquals(8000, r.options().getHttpServer().getPort());
  }

  @Test
  void badEnvValuesNameTheVariable() {
    assertEnvError("ROTOR_HTTP_SERVER_PORT", "abc", "expected an integer");
    assertEnvError("ROTOR_CLIENT_INSECURE", "yes", "expected a boolean");
    assertEnvError("ROTOR_CLIENT_PING_INTERVAL", "soon", "invalid duration");
    assertEnvError("ROTOR_CLIENT_PING_INTERVAL", "-5s", "negative");
    assertEnvError("ROTOR_CHANNEL_NAMESPACES", "[{", "not valid JSON");
    assertEnvError("ROTOR_CHANNEL_NAMESPACES", "{\"name\": \"chat\"}", "expected a JSON array");
    assertEnvError("ROTOR_CLIENT_ALLOWED_ORIGINS", "[\"*\"", "not valid JSON");
    assertEnvError("ROTOR_CLIENT_TOKEN", "[]", "expected a JSON object");
    // Values of the right type that fail binding or validation still say where they came from.
    assertEnvError("ROTOR_HTTP_SERVER_PORT", "70000", "http_server.port: must be between");
    assertEnvError("ROTOR_CHANNEL_NAMESPACES", "[{\"name\": \"x\"}]", "channel.namespaces[0].name");
    assertEnvError("ROTOR_CHANNEL_NAMESPACES", "[{\"name\": \"ab\", \"presence\": 1}]",
        "channel.namespaces[0].presence: expected true or false");
  }

  @Test
  void everyKeyHasOneDistinctVariable() {
    List<String> paths = new ArrayList<>();
    collectLeafPaths(new RotorOptions().toJson(), "", paths);
    for (String path : paths) {
      String env = path.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
      assertTrue(EnvOverrides.names().contains(env), "no variable for " + path);
    }
    assertEquals(ConfigSchema.keys().size(), EnvOverrides.names().size());
  }

  private static void collectLeafPaths(com.fasterxml.jackson.databind.JsonNode node, String prefix, List<String> out) {
    node.properties().forEach(f -> {
      String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
      out.add(path);
      if (f.getValue().isObject()) {
        collectLeafPaths(f.getValue(), path, out);
      }
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static void assertError(String json, String key, String fragment) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(json, Map.of()), json);
    assertEquals(key, e.getKey(), e.getMessage());
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "\"" + e.getMessage() + "\" should contain \"" + fragment + "\"");
  }

  private static void assertEnvError(String name, String value, String fragment) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.fromJson("{}", Map.of(name, value)),
        name + "=" + value);
    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "\"" + e.getMessage() + "\" should contain \"" + fragment + "\"");
  }

  private static String error(String json) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(json, Map.of())).getMessage();
  }
}
