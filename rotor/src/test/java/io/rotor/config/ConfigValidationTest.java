package io.rotor.config;

import static io.rotor.config.ConfigLoaderTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule: each broken config fails with a message starting with the key path. */
class ConfigValidationTest {

  /** A namespace list whose second entry gets {@code fields}, so paths show the index. */
  private static String ns(String fields) {
    return "{\"channel\": {\"namespaces\": [{\"name\": \"first\"}, {\"name\": \"second\"" + (fields.isEmpty() ? "" : ", ")
        + fields + "}]}}";
  }

  private static String wn(String fields) {
    return "{\"channel\": {\"without_namespace\": {" + fields + "}}}";
  }

  private static RotorOptions ok(String json) {
    return ConfigLoader.fromJson(json, Map.of());
  }

  @Test
  void port() {
    assertError("{\"http_server\": {\"port\": -1}}", "http_server.port", "between 1 and 65535");
    assertError("{\"http_server\": {\"port\": 65536}}", "http_server.port", "got 65536");
    assertEquals(0, ok("{\"http_server\": {\"port\": 0}}").getHttpServer().getPort());
    assertEquals(65535, ok("{\"http_server\": {\"port\": 65535}}").getHttpServer().getPort());
    assertEquals("", ok("{\"http_server\": {\"address\": \"\"}}").getHttpServer().getAddress());
  }

  @Test
  void historyNeedsBothSizeAndTtl() {
    assertError(wn("\"history_size\": 10"), "channel.without_namespace.history_ttl", "must be set when history_size");
    assertError(wn("\"history_ttl\": \"60s\""), "channel.without_namespace.history_size", "must be set when history_ttl");
    assertError(ns("\"history_size\": 10"), "channel.namespaces[1].history_ttl", "namespace \"second\"");
    assertError(ns("\"history_ttl\": 60"), "channel.namespaces[1].history_size", "history needs both");
    assertTrue(ok(ns("\"history_size\": 10, \"history_ttl\": 60")).getChannel().namespace("second").orElseThrow()
        .historyEnabled());
  }

  @Test
  void historyMetaTtlNotShorterThanHistoryTtl() {
    assertError(ns("\"history_size\": 10, \"history_ttl\": \"2h\", \"history_meta_ttl\": \"1h\""),
        "channel.namespaces[1].history_meta_ttl", "history_ttl (2h) can not be greater than history_meta_ttl (1h)");
    // Inherited from channel.history_meta_ttl.
    assertError("{\"channel\": {\"history_meta_ttl\": \"1h\", \"without_namespace\": "
        + "{\"history_size\": 10, \"history_ttl\": \"2h\"}}}",
        "channel.without_namespace.history_meta_ttl", "from channel.history_meta_ttl");
    ok(ns("\"history_size\": 10, \"history_ttl\": \"2h\", \"history_meta_ttl\": \"2h\""));
    ok("{\"channel\": {\"history_meta_ttl\": \"1h\", \"without_namespace\": "
        + "{\"history_size\": 10, \"history_ttl\": \"2h\", \"history_meta_ttl\": \"3h\"}}}");
  }

  @Test
  void recoveryAndPositioningNeedHistory() {
    assertError(wn("\"force_recovery\": true"), "channel.without_namespace.force_recovery", "requires history");
    assertError(ns("\"allow_recovery\": true"), "channel.namespaces[1].allow_recovery", "requires history");
    assertError(ns("\"force_positioning\": true"), "channel.namespaces[1].force_positioning", "requires history");
    assertError(ns("\"allow_positioning\": true"), "channel.namespaces[1].allow_positioning", "requires history");
    ok(ns("\"force_recovery\": true, \"force_positioning\": true, \"history_size\": 1, \"history_ttl\": \"1s\""));
  }

  @Test
  void forceRecoveryMode() {
    assertError(ns("\"force_recovery_mode\": \"fast\""), "channel.namespaces[1].force_recovery_mode",
        "must be \"stream\" or \"cache\", got \"fast\"");
    assertEquals("cache", ok(wn("\"force_recovery_mode\": \"cache\"")).getChannel().getWithoutNamespace()
        .getForceRecoveryMode());
  }

  @Test
  void autoCacheRecoverNeedsForcedCacheRecoveryAndDeltaTypesAreFossilOnly() {
    String history = "\"history_size\": 1, \"history_ttl\": \"1s\", ";
    assertError(ns(history + "\"force_recovery\": true, \"auto_cache_recover\": true"),
        "channel.namespaces[1].auto_cache_recover", "requires force_recovery and force_recovery_mode set to \"cache\"");
    assertError(ns(history + "\"force_recovery_mode\": \"cache\", \"auto_cache_recover\": true"),
        "channel.namespaces[1].auto_cache_recover", "requires force_recovery");
    assertTrue(ok(ns(history + "\"force_recovery\": true, \"force_recovery_mode\": \"cache\", \"auto_cache_recover\": true"))
        .getChannel().getNamespaces().get(1).isAutoCacheRecover());
    assertError(wn("\"allowed_delta_types\": [\"fossil\", \"zstd\"]"), "channel.without_namespace.allowed_delta_types",
        "unknown delta type \"zstd\"");
    assertEquals(List.of("fossil"), ok(wn("\"allowed_delta_types\": [\"fossil\"], \"delta_publish\": true, "
        + "\"allow_tags_filter\": true")).getChannel().getWithoutNamespace().getAllowedDeltaTypes());
  }

  @Test
  void channelRegex() {
    assertError(ns("\"channel_regex\": \"[a-z\""), "channel.namespaces[1].channel_regex", "invalid regular expression");
    ok(ns("\"channel_regex\": \"^[a-z0-9]+$\""));
  }

  @Test
  void engineType() {
    ok("{\"engine\": {\"type\": \"redis\"}}");
    assertError("{\"engine\": {\"type\": \"nats\"}}", "engine.type", "unknown engine type \"nats\" (supported: memory, redis)");
  }

  @Test
  void redisAddresses() {
    ok("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\"127.0.0.1:6379\", \"redis://:pw@h2:6380/1\"]}}}");
    assertError("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": []}}}", "engine.redis.address",
        "needs at least one Redis address");
    assertError("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\"h:port\"]}}}", "engine.redis.address[0]",
        "expected host:port");
  }

  @Test
  void redisSentinelAndCluster() {
    ok("{\"engine\": {\"type\": \"redis\", \"redis\": {\"sentinel_address\": [\"127.0.0.1:26379,127.0.0.1:26380\"],"
        + " \"sentinel_master_name\": \"mymaster\", \"sentinel_password\": \"s\", \"password\": \"p\"}}}");
    ok("{\"engine\": {\"type\": \"redis\", \"redis\": {\"cluster_address\": [\"127.0.0.1:7000,127.0.0.1:7001\"]}}}");
    assertError("{\"engine\": {\"type\": \"redis\", \"redis\": {\"sentinel_address\": [\"127.0.0.1:26379\"]}}}",
        "engine.redis.sentinel_master_name", "is required with engine.redis.sentinel_address");
    assertError("{\"engine\": {\"type\": \"redis\", \"redis\": {\"sentinel_master_name\": \"m\"}}}",
        "engine.redis.sentinel_master_name", "is only used with engine.redis.sentinel_address");
    assertError("{\"engine\": {\"type\": \"redis\", \"redis\": {\"sentinel_address\": [\"127.0.0.1:26379\"],"
        + " \"sentinel_master_name\": \"m\", \"cluster_address\": [\"127.0.0.1:7000\"]}}}",
        "engine.redis.sentinel_address", "cannot be combined with engine.redis.cluster_address");
    assertError("{\"engine\": {\"type\": \"redis\", \"redis\": {\"cluster_address\": [\"127.0.0.1\"]}}}",
        "engine.redis.cluster_address[0]", "expected comma-separated host:port entries");
  }

  @Test
  void natsBroker() {
    String redis = "\"engine\": {\"type\": \"redis\"}";
    ok("{" + redis + ", \"broker\": {\"enabled\": true, \"type\": \"nats\", \"nats\": {\"url\": \"nats://10.0.0.1:4222\"}}}");
    ok("{\"broker\": {\"type\": \"nats\"}}"); // not enabled: nothing is used
    assertError("{\"broker\": {\"enabled\": true, \"type\": \"nats\"}}", "broker.type", "nats needs engine.type: redis");
    assertError("{" + redis + ", \"broker\": {\"enabled\": true, \"type\": \"redis\"}}", "broker.type",
        "use engine.type: redis");
    assertError("{" + redis + ", \"broker\": {\"enabled\": true, \"type\": \"postgres\"}}", "broker.type",
        "unknown or unavailable broker type \"postgres\"");
    assertError("{" + redis + ", \"broker\": {\"enabled\": true, \"type\": \"nats\", \"nats\": {\"url\": \"localhost\"}}}",
        "broker.nats.url", "expected nats://host:port");
    assertError("{" + redis + ", \"broker\": {\"enabled\": true, \"type\": \"nats\"}, \"cluster\": {\"enabled\": true}}",
        "broker.enabled", "cannot be combined with cluster.enabled");
  }

  @Test
  void clusterPorts() {
    assertError("{\"cluster\": {\"port\": 0}}", "cluster.port", "must be between 1 and 65535");
    assertError("{\"cluster\": {\"enabled\": true, \"name\": \"\"}}", "cluster.name", "must not be empty");
  }

  private static String tls(String fields) {
    return "{\"cluster\": {\"enabled\": true, \"tls\": {\"enabled\": true" + (fields.isEmpty() ? "" : ", ") + fields + "}}}";
  }

  @Test
  void clusterTlsNeedsAKeyAndAnExplicitTrust(@TempDir Path dir) throws IOException {
    TestCerts ca = TestCerts.authority(dir, "ca");
    TestCerts.NodeCert node = ca.issue("node");
    String junk = Files.writeString(dir.resolve("junk.pem"), "not PEM").toString();
    String pair = "\"cert_pem_file\": \"" + node.certPem() + "\", \"key_pem_file\": \"" + node.keyPem() + "\"";
    String caPem = "\"ca_pem_file\": \"" + ca.caPem() + "\"";
    String stores = "\"key_store_file\": \"" + node.keyStore() + "\", \"key_store_password\": \"" + TestCerts.PASSWORD
        + "\", \"trust_store_file\": \"" + ca.trustStore() + "\", \"trust_store_password\": \"" + TestCerts.PASSWORD + "\"";
    assertTrue(ok(tls(pair + ", " + caPem)).getCluster().getTls().isEnabled());
    assertTrue(ok(tls(stores)).getCluster().getTls().isEnabled());
    // Off: nothing is required.
    assertTrue(!ok("{\"cluster\": {\"enabled\": true}}").getCluster().getTls().isEnabled());

    assertError(tls(""), "cluster.tls.cert_pem_file", "TLS is enabled but this node has no key");
    assertError(tls(caPem), "cluster.tls.cert_pem_file", "set cert_pem_file and key_pem_file, or key_store_file");
    assertError(tls("\"cert_pem_file\": \"" + node.certPem() + "\", " + caPem), "cluster.tls.key_pem_file",
        "must be set with cert_pem_file");
    assertError(tls(pair), "cluster.tls.ca_pem_file", "nothing is trusted");
    assertError(tls(pair + ", " + caPem + ", \"key_store_file\": \"" + node.keyStore() + "\""),
        "cluster.tls.key_store_file", "not both");
    assertError(tls(pair + ", " + caPem + ", \"trust_store_file\": \"" + ca.trustStore() + "\""),
        "cluster.tls.trust_store_file", "not both");
    assertError(tls(pair + ", \"ca_pem_file\": \"" + dir.resolve("missing.pem") + "\""), "cluster.tls.ca_pem_file",
        "cannot read file");
    assertError(tls(pair + ", \"ca_pem_file\": \"" + junk + "\""), "cluster.tls.ca_pem_file", "certificate");
    assertError(tls("\"cert_pem_file\": \"" + junk + "\", \"key_pem_file\": \"" + node.keyPem() + "\", " + caPem),
        "cluster.tls.cert_pem_file", "certificate");
    assertError(tls("\"cert_pem_file\": \"" + node.certPem() + "\", \"key_pem_file\": \"" + junk + "\", " + caPem),
        "cluster.tls.key_pem_file", "no PEM private key");
    assertError(tls(stores.replaceFirst(TestCerts.PASSWORD, "wrong")), "cluster.tls.key_store_file", "wrong password");
    assertError(tls("\"key_store_file\": \"" + junk + "\", " + caPem), "cluster.tls.key_store_file", "not a PKCS12 store");
  }

  @Test
  void pingMustExceedPong() {
    assertError("{\"client\": {\"ping_interval\": \"5s\", \"pong_timeout\": \"5s\"}}", "client.ping_interval",
        "must be greater than client.pong_timeout (5s <= 5s)");
    assertError("{\"client\": {\"ping_interval\": \"5s\"}}", "client.ping_interval", "(5s <= 8s)");
    ok("{\"client\": {\"ping_interval\": \"5s\", \"pong_timeout\": 0}}");
    ok("{\"client\": {\"ping_interval\": 0}}"); // pings disabled
  }

  @Test
  void namespaceNames() {
    assertError("{\"channel\": {\"namespaces\": [{\"presence\": true}]}}", "channel.namespaces[0].name",
        "missing namespace name");
    assertError("{\"channel\": {\"namespaces\": [{\"name\": \"a\"}]}}", "channel.namespaces[0].name",
        "invalid namespace name \"a\"");
    assertError("{\"channel\": {\"namespaces\": [{\"name\": \"chat room\"}]}}", "channel.namespaces[0].name",
        "must match ^[-a-zA-Z0-9_.]{2,}$");
    assertError("{\"channel\": {\"namespaces\": [{\"name\": \"chat\"}, {\"name\": \"chat\"}]}}",
        "channel.namespaces[1].name", "duplicate namespace name \"chat\"");
    assertError("{\"channel\": {\"namespaces\": [null]}}", "channel.namespaces[0]", "must not be null");
    ok("{\"channel\": {\"namespaces\": [{\"name\": \"a-b_c.d\"}, {\"name\": \"42\"}]}}");
  }

  @Test
  void sizesAndLimits() {
    assertError(ns("\"history_size\": -1"), "channel.namespaces[1].history_size", "must not be negative");
    assertError("{\"client\": {\"queue_max_size\": 0}}", "client.queue_max_size", "must be positive");
    assertError("{\"client\": {\"channel_limit\": -1}}", "client.channel_limit", "must not be negative");
    assertError("{\"client\": {\"user_connection_limit\": -1}}", "client.user_connection_limit", "must not be negative");
    assertError("{\"client\": {\"history_max_publication_limit\": -1}}", "client.history_max_publication_limit",
        "must not be negative");
    assertError("{\"client\": {\"recovery_max_publication_limit\": -1}}", "client.recovery_max_publication_limit",
        "must not be negative");
    assertError("{\"websocket\": {\"message_size_limit\": 0}}", "websocket.message_size_limit", "must be positive");
    assertError("{\"channel\": {\"max_length\": 0}}", "channel.max_length", "must be positive");
  }

  @Test
  void handlerPrefix() {
    assertError("{\"http_api\": {\"handler_prefix\": \"api\"}}", "http_api.handler_prefix", "must start with /");
    assertError("{\"http_api\": {\"handler_prefix\": \"/api/\"}}", "http_api.handler_prefix", "not end with /");
    assertEquals("/server/api", ok("{\"http_api\": {\"handler_prefix\": \"/server/api\"}}").getHttpApi()
        .getHandlerPrefix());
  }

  @Test
  void optionsBuiltInCodeAreValidatedToo() {
    RotorOptions o = new RotorOptions();
    ConfigLoader.validate(o);
    o.getClient().setStaleCloseDelay(Duration.ofSeconds(-1));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.validate(o));
    assertEquals("client.stale_close_delay: must not be negative, got -1s", e.getMessage());
    o.getClient().setStaleCloseDelay(Duration.ofSeconds(1)).setAllowedOrigins(null);
    assertEquals("client.allowed_origins", assertThrows(ConfigException.class, () -> ConfigLoader.validate(o)).getKey());
    o.getClient().setAllowedOrigins(java.util.List.of());
    o.getChannel().getNamespaces().add(new NamespaceOptions().setName("ok").setHistorySize(3));
    assertEquals("channel.namespaces[0].history_ttl",
        assertThrows(ConfigException.class, () -> ConfigLoader.validate(o)).getKey());
  }

  @Test
  void grpcApi() {
    assertError("{\"grpc_api\": {\"port\": 70000}}", "grpc_api.port", "got 70000");
    assertError("{\"grpc_api\": {\"error_mode\": \"custom\"}}", "grpc_api.error_mode", "\"transport\"");
    assertError("{\"grpc_api\": {\"max_receive_message_size\": -1}}", "grpc_api.max_receive_message_size", "negative");
    assertError("{\"grpc_api\": {\"tls\": {\"enabled\": true}}}", "grpc_api.tls.cert_pem", "must be set");
    assertError("{\"grpc_api\": {\"tls\": {\"enabled\": true, \"cert_pem\": \"/no/such/file\", \"key_pem\": \"x\"}}}",
        "grpc_api.tls.cert_pem", "neither PEM text");
    assertError("{\"grpc_api\": {\"tls\": {\"insecure_skip_verify\": true}}}", "grpc_api.tls.insecure_skip_verify",
        "TLS clients");
    assertEquals(10000, ok("{}").getGrpcApi().getPort());
  }

  @Test
  void consumers() {
    String pg = "{\"consumers\": [{\"name\": \"out\", \"enabled\": true, \"type\": \"postgresql\", \"postgresql\": {%s}}]}";
    assertError(String.format(pg, ""), "consumers[0].postgresql.dsn", "must be set");
    assertError(String.format(pg, "\"dsn\": \"postgres://u@h/db\", \"outbox_table_name\": \"x; drop\""),
        "consumers[0].postgresql.outbox_table_name", "table name");
    assertError(String.format(pg, "\"dsn\": \"postgres://u@h/db\", \"outbox_table_name\": \"o\", \"num_partitions\": 0"),
        "consumers[0].postgresql.num_partitions", "at least 1");
    assertEquals(1, ok(String.format(pg, "\"dsn\": \"postgres://u@h/db\", \"outbox_table_name\": \"app.outbox\""))
        .getConsumers().get(0).getPostgresql().getNumPartitions());
    assertError("{\"consumers\": [{\"name\": \"k\", \"enabled\": true, \"type\": \"kafka\"}]}", "consumers[0].type",
        "not available in Rotor");
    assertEquals("kafka", ok("{\"consumers\": [{\"name\": \"k\", \"type\": \"kafka\"}]}").getConsumers().get(0).getType());
    assertError("{\"consumers\": [{\"name\": \"k\", \"type\": \"rabbit\"}]}", "consumers[0].type", "unknown consumer type");
    assertError("{\"consumers\": [{\"name\": \"a\", \"type\": \"kafka\"}, {\"name\": \"a\", \"type\": \"kafka\"}]}",
        "consumers[1].name", "duplicate");
    String rs = "{\"consumers\": [{\"name\": \"s\", \"enabled\": true, \"type\": \"redis_stream\", \"redis_stream\": {%s}}]}";
    assertError(String.format(rs, ""), "consumers[0].redis_stream.streams", "can't be empty");
    assertError(String.format(rs, "\"streams\": [\"s\"]"), "consumers[0].redis_stream.consumer_group", "required");
    assertError(String.format(rs, "\"streams\": [\"s\"], \"consumer_group\": \"g\", \"address\": [\"a:1\", \"b:2\"]"),
        "consumers[0].redis_stream.address", "exactly one");
  }
}
