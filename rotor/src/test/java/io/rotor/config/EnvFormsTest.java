package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Environment values in Centrifugo v6's forms, both prefixes, and the names of what Rotor lacks. */
class EnvFormsTest {

  private static final String FILE = """
      {"channel": {"namespaces": [{"name": "chat", "presence": false}]}}""";

  private static ConfigLoader.LoadResult load(String json, Map<String, String> env) {
    return ConfigLoader.fromJsonWithWarnings(json, env);
  }

  @Test
  void stringListsAreSpaceSeparated() {
    assertEquals(List.of("*"), load("{}", Map.of("CENTRIFUGO_CLIENT_ALLOWED_ORIGINS", "*"))
        .options().getClient().getAllowedOrigins());
    assertEquals(List.of("http://a", "http://b"), load("{}", Map.of("ROTOR_CLIENT_ALLOWED_ORIGINS", "http://a http://b"))
        .options().getClient().getAllowedOrigins());
    assertEquals(List.of("http://a", "http://b"),
        load("{}", Map.of("ROTOR_CLIENT_ALLOWED_ORIGINS", "[\"http://a\", \"http://b\"]"))
            .options().getClient().getAllowedOrigins(), "Rotor's JSON form still works");
    assertEquals(List.of("r1:6379", "r2:6379"), load("{}", Map.of("CENTRIFUGO_ENGINE_REDIS_ADDRESS", "r1:6379 r2:6379"))
        .options().getEngine().getRedis().getAddress());
  }

  @Test
  void goBooleansAndIntegers() {
    for (String t : List.of("1", "t", "T", "TRUE", "true", "True")) {
      assertTrue(load("{}", Map.of("CENTRIFUGO_CLIENT_INSECURE", t)).options().getClient().isInsecure(), t);
    }
    for (String f : List.of("0", "f", "F", "FALSE", "false", "False")) {
      assertFalse(load("{\"client\": {\"insecure\": true}}", Map.of("CENTRIFUGO_CLIENT_INSECURE", f))
          .options().getClient().isInsecure(), f);
    }
    ConfigException e = assertThrows(ConfigException.class, () -> load("{}", Map.of("CENTRIFUGO_CLIENT_INSECURE", "yes")));
    assertTrue(e.getMessage().startsWith("environment variable CENTRIFUGO_CLIENT_INSECURE (client.insecure): invalid value \"yes\""),
        e.getMessage());
    assertEquals(8000, port("0x1F40"));
    assertEquals(8, port("010"), "a leading 0 is octal, as Go's ParseInt with base 0");
    assertEquals(1000, port("1_000"));
    assertEquals(5, port("0b101"));
    assertThrows(ConfigException.class, () -> port("8000s"));
    assertThrows(ConfigException.class, () -> port("_1"));
    assertThrows(ConfigException.class, () -> port("99999999999"));
  }

  private static int port(String value) {
    return load("{}", Map.of("CENTRIFUGO_HTTP_SERVER_PORT", value)).options().getHttpServer().getPort();
  }

  @Test
  void durationsInGoSyntaxOrSeconds() {
    assertEquals(Duration.ofSeconds(90), load("{}", Map.of("CENTRIFUGO_CLIENT_PING_INTERVAL", "1.5m"))
        .options().getClient().getPingInterval());
    assertEquals(Duration.ofSeconds(30), load("{}", Map.of("CENTRIFUGO_CLIENT_PING_INTERVAL", "30"))
        .options().getClient().getPingInterval());
  }

  @Test
  void namedItemsAreAppendedAndSetByPerItemVariables() {
    RotorOptions o = load(FILE, Map.of(
        "CENTRIFUGO_CHANNEL_NAMESPACES", "news my-room.v2",
        "CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_PRESENCE", "true",
        "CENTRIFUGO_CHANNEL_NAMESPACES_NEWS_HISTORY_SIZE", "10",
        "CENTRIFUGO_CHANNEL_NAMESPACES_NEWS_HISTORY_TTL", "300s",
        "CENTRIFUGO_CHANNEL_NAMESPACES_MY_ROOM_V2_JOIN_LEAVE", "t",
        "CENTRIFUGO_RPC_NAMESPACES", "rpc1",
        "CENTRIFUGO_RPC_NAMESPACES_RPC1_PROXY_ENABLED", "true",
        "CENTRIFUGO_RPC_NAMESPACES_RPC1_PROXY_NAME", "custom",
        "CENTRIFUGO_PROXIES", "custom",
        "CENTRIFUGO_PROXIES_CUSTOM_ENDPOINT", "http://127.0.0.1:9/rpc")).options();
    List<NamespaceOptions> ns = o.getChannel().getNamespaces();
    assertEquals(List.of("chat", "news", "my-room.v2"), ns.stream().map(NamespaceOptions::getName).toList(),
        "space-separated names are appended to the file's items, as Centrifugo does");
    assertTrue(ns.get(0).isPresence(), "a per-item variable sets an item from the file");
    assertEquals(10, ns.get(1).getHistorySize());
    assertEquals(Duration.ofMinutes(5), ns.get(1).getHistoryTtl());
    assertTrue(ns.get(2).isJoinLeave(), ". and - of a name become _");
    assertEquals("rpc1", o.getRpc().getNamespaces().get(0).getName());
    assertTrue(o.getRpc().getNamespaces().get(0).isProxyEnabled());
    assertEquals("custom", o.getRpc().getNamespaces().get(0).getProxyName());
    assertEquals("http://127.0.0.1:9/rpc", o.getProxies().get(0).getEndpoint());
  }

  @Test
  void aJsonArrayReplacesTheList() {
    RotorOptions o = load(FILE, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES", "[{\"name\": \"env\"}]",
        "CENTRIFUGO_CHANNEL_NAMESPACES_ENV_PRESENCE", "true")).options();
    assertEquals(1, o.getChannel().getNamespaces().size());
    assertTrue(o.getChannel().namespace("env").orElseThrow().isPresence());
  }

  @Test
  void perItemErrorsNameTheVariableAndTheItem() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(FILE,
        Map.of("CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_SIZE", "many")));
    assertTrue(e.getMessage().contains("CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_SIZE"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> load(FILE, Map.of("CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_HISTORY_SIZE", "5")));
    assertTrue(e.getMessage().startsWith("channel.namespaces[0].history_ttl"), e.getMessage());
  }

  @Test
  void rotorPrefixWinsOverCentrifugo() {
    ConfigLoader.LoadResult r = load("{}", Map.of("CENTRIFUGO_HTTP_SERVER_PORT", "9001", "ROTOR_HTTP_SERVER_PORT", "9002"));
    assertEquals(9002, r.options().getHttpServer().getPort());
    assertEquals(List.of("environment variables ROTOR_HTTP_SERVER_PORT and CENTRIFUGO_HTTP_SERVER_PORT are both set: "
        + "ROTOR_HTTP_SERVER_PORT wins"), r.warnings());
    assertEquals(List.of(), load("{}", Map.of("CENTRIFUGO_HTTP_SERVER_PORT", "9001", "ROTOR_HTTP_SERVER_PORT", "9001"))
        .warnings(), "the same value twice is no conflict");
  }

  @Test
  void centrifugoKeysRotorLacksAreNamedAsNotSupported() {
    ConfigLoader.LoadResult r = load("{\"map_broker\": {\"type\": \"redis\"}, \"client\": {\"tokn\": {}},"
        + " \"channel\": {\"namespaces\": [{\"name\": \"chat\", \"subscribe_stream_proxy_enabled\": true}]}}", Map.of(
        "CENTRIFUGO_UNI_GRPC_ENABLED", "true",
        "CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_SUBSCRIBE_STREAM_PROXY_NAME", "streams",
        "CENTRIFUGO_NO_SUCH_THING", "1",
        "CENTRIFUGO_VAR_SECRET", "x",
        "CENTRIFUGO_SERVICE_HOST", "10.0.0.1",
        "ROTOR_PORT_8000_TCP", "tcp://10.0.0.1:8000"));
    assertEquals(List.of(
        "environment variable CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_SUBSCRIBE_STREAM_PROXY_NAME sets "
            + "channel.namespaces[].subscribe_stream_proxy_name, a Centrifugo v6 option not supported by Rotor: ignored",
        "environment variable CENTRIFUGO_NO_SUCH_THING matches no config key",
        "environment variable CENTRIFUGO_UNI_GRPC_ENABLED sets uni_grpc.enabled, a Centrifugo v6 option not supported by Rotor: ignored",
        "config key map_broker is a Centrifugo v6 option not supported by Rotor: ignored",
        "unknown config key client.tokn",
        "config key channel.namespaces[0].subscribe_stream_proxy_enabled is a Centrifugo v6 option not supported by Rotor: ignored"),
        r.warnings());
  }

  @Test
  void flagsWinOverEnvironmentAndFile() {
    ConfigLoader.LoadResult r = ConfigLoader.loadWithWarnings(Path.of("../conf/config.json"),
        Map.of("CENTRIFUGO_HTTP_SERVER_PORT", "9001", "CENTRIFUGO_LOG_LEVEL", "error"),
        io.rotor.cli.NodeArgs.parse(new String[] {"--port", "9003", "--log_level=debug", "-a", "127.0.0.1",
            "--admin.enabled", "--admin.insecure", "--prometheus.enabled=false"}).flags());
    assertEquals(9003, r.options().getHttpServer().getPort());
    assertEquals("debug", r.options().getLog().getLevel());
    assertEquals("127.0.0.1", r.options().getHttpServer().getAddress());
    assertTrue(r.options().getAdmin().isEnabled());
    assertFalse(r.options().getPrometheus().isEnabled());
    ConfigException e = assertThrows(ConfigException.class,
        () -> io.rotor.cli.NodeArgs.parse(new String[] {"--prot", "1"}));
    assertTrue(e.getMessage().contains("unknown flag --prot"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadWithWarnings(null, Map.of(),
        io.rotor.cli.NodeArgs.parse(new String[] {"--port", "http"}).flags()));
    assertTrue(e.getMessage().startsWith("flag --http_server.port (http_server.port): invalid value \"http\""), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.loadWithWarnings(null, Map.of(),
        io.rotor.cli.NodeArgs.parse(new String[] {"--log_level", "loud"}).flags()));
    assertTrue(e.getMessage().contains("log.level: must be one of trace, debug, info, warn, error, fatal, none")
        && e.getMessage().endsWith("(set by flag --log.level)"), e.getMessage());
  }

  @Test
  void exampleSecretsAreNamedAsUnsafe() {
    List<String> unsafe = UnsafeSettings.find(ConfigLoader.load(Path.of("../conf/config.json"), Map.of()));
    assertEquals(2, unsafe.size(), unsafe.toString());
    assertTrue(unsafe.get(0).startsWith("client.token.hmac_secret_key is the example value \"change-me-hmac-secret\""));
    assertTrue(unsafe.get(1).startsWith("http_api.key is the example value"));
    assertEquals(List.of(), UnsafeSettings.find(ConfigLoader.load(Path.of("../conf/config.json"),
        Map.of("CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY", "k1", "CENTRIFUGO_HTTP_API_KEY", "k2"))));
  }
}
