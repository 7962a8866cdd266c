package io.rotor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rejects configurations that cannot work, with the key path first in the message. The channel
 * rules are Centrifugo v6's, plus a few that Centrifugo leaves to runtime surprises (recovery or
 * positioning without history, negative limits).
 */
final class ConfigValidator {

  /** Centrifugo's namespace name rule. */
  static final Pattern NAMESPACE_NAME = Pattern.compile("^[-a-zA-Z0-9_.]{2,}$");

  private ConfigValidator() {
  }

  static void validate(RotorOptions o) {
    notNull(o.getHttpServer(), "http_server");
    notNull(o.getClient(), "client");
    notNull(o.getHttpApi(), "http_api");
    notNull(o.getWebsocket(), "websocket");
    notNull(o.getChannel(), "channel");
    notNull(o.getEngine(), "engine");
    validateHttpServer(o.getHttpServer());
    validateClient(o.getClient());
    validateHttpApi(o.getHttpApi());
    check(o.getWebsocket().getMessageSizeLimit() > 0, "websocket.message_size_limit",
        "must be positive, got " + o.getWebsocket().getMessageSizeLimit());
    validateEngine(o.getEngine());
    validateBroker(o);
    notNull(o.getCluster(), "cluster");
    validateCluster(o.getCluster());
    notNull(o.getHealth(), "health");
    duration(o.getHealth().getLivenessProbeInterval(), "health.liveness_probe_interval");
    Duration probeTimeout = duration(o.getHealth().getLivenessProbeTimeout(), "health.liveness_probe_timeout");
    check(probeTimeout.toMillis() >= 1, "health.liveness_probe_timeout", "must be positive");
    check(o.getHealth().getLivenessProbeFailures() >= 1, "health.liveness_probe_failures",
        "must be at least 1, got " + o.getHealth().getLivenessProbeFailures());
    notNull(o.getEventBusApi(), "event_bus_api");
    notNull(o.getEventBusApi().getAddress(), "event_bus_api.address");
    check(!o.getEventBusApi().getAddress().isEmpty(), "event_bus_api.address", "must not be empty");
    dataFormat(o.getChannel().getPublicationDataFormat(), "channel.publication_data_format", "");
    validateChannels(o.getChannel());
    ProxyChecks.validate(o);
    validateAdmin(o.getAdmin());
    notNull(o.getLog(), "log");
    notNull(o.getLog().getLevel(), "log.level");
    check(LogOptions.LEVELS.contains(o.getLog().normalizedLevel()), "log.level",
        "must be one of " + String.join(", ", LogOptions.LEVELS) + ", got \"" + o.getLog().getLevel() + "\"");
    validateGrpcApi(o.getGrpcApi());
    validateConsumers(o.getConsumers());
  }

  private static void validateGrpcApi(GrpcApiOptions g) {
    notNull(g, "grpc_api");
    notNull(g.getAddress(), "grpc_api.address");
    notNull(g.getKey(), "grpc_api.key");
    String mode = g.getErrorMode();
    notNull(mode, "grpc_api.error_mode");
    check(mode.isEmpty() || mode.equals(GrpcApiOptions.ERROR_MODE_TRANSPORT), "grpc_api.error_mode",
        "must be \"\" or \"transport\", got \"" + mode + "\"");
    check(g.getPort() >= 0 && g.getPort() <= 65535, "grpc_api.port",
        "must be between 1 and 65535 (or 0 to pick a free port), got " + g.getPort());
    notNegative(g.getMaxReceiveMessageSize(), "grpc_api.max_receive_message_size");
    TlsOptions t = g.getTls();
    notNull(t, "grpc_api.tls");
    for (String[] key : new String[][] {{"cert_pem", t.getCertPem()}, {"key_pem", t.getKeyPem()},
        {"client_ca_pem", t.getClientCaPem()}, {"server_ca_pem", t.getServerCaPem()}, {"server_name", t.getServerName()}}) {
      notNull(key[1], "grpc_api.tls." + key[0]);
    }
    // The server side of TLS: the client-side keys would be ignored, so they are refused.
    check(t.getServerCaPem().isEmpty(), "grpc_api.tls.server_ca_pem", "applies to TLS clients, not to the gRPC API server");
    check(t.getServerName().isEmpty(), "grpc_api.tls.server_name", "applies to TLS clients, not to the gRPC API server");
    check(!t.isInsecureSkipVerify(), "grpc_api.tls.insecure_skip_verify",
        "applies to TLS clients, not to the gRPC API server");
    if (t.isEnabled()) {
      check(!t.getCertPem().isEmpty(), "grpc_api.tls.cert_pem", "must be set when grpc_api.tls.enabled");
      check(!t.getKeyPem().isEmpty(), "grpc_api.tls.key_pem", "must be set when grpc_api.tls.enabled");
      for (String[] key : new String[][] {{"cert_pem", t.getCertPem()}, {"key_pem", t.getKeyPem()},
          {"client_ca_pem", t.getClientCaPem()}}) {
        if (!key[1].isEmpty()) {
          try {
            Pem.read(key[1]);
          } catch (IllegalArgumentException e) {
            throw ConfigException.at("grpc_api.tls." + key[0], e.getMessage());
          }
        }
      }
    }
  }

  private static void validateConsumers(List<ConsumerOptions> consumers) {
    notNull(consumers, "consumers");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < consumers.size(); i++) {
      ConsumerOptions c = consumers.get(i);
      String at = "consumers[" + i + "]";
      notNull(c, at);
      notNull(c.getName(), at + ".name");
      notNull(c.getType(), at + ".type");
      check(!c.getName().isEmpty(), at + ".name", "missing consumer name");
      check(c.getName().matches("^[-a-zA-Z0-9_.]+$"), at + ".name",
          "invalid consumer name \"" + c.getName() + "\" (must match ^[-a-zA-Z0-9_.]+$)");
      check(names.add(c.getName()), at + ".name", "duplicate consumer name \"" + c.getName() + "\"");
      String type = c.getType();
      boolean supported = ConsumerOptions.SUPPORTED_TYPES.contains(type);
      if (!supported && (c.isEnabled() || !ConsumerOptions.PLANNED_TYPES.contains(type))) {
        throw ConfigException.at(at + ".type", ConsumerOptions.PLANNED_TYPES.contains(type)
            ? "consumer type \"" + type + "\" is not available in Rotor (supported: postgresql, redis_stream)"
            : "unknown consumer type \"" + type + "\" (supported: postgresql, redis_stream)");
      }
      if (!c.isEnabled()) {
        continue;
      }
      if (type.equals(ConsumerOptions.POSTGRESQL)) {
        validatePostgresConsumer(c.getPostgresql(), at + ".postgresql");
      } else if (type.equals(ConsumerOptions.REDIS_STREAM)) {
        validateRedisStreamConsumer(c.getRedisStream(), at + ".redis_stream");
      }
    }
  }

  /** Table names are put into SQL as they are: only plain (optionally schema-qualified) identifiers. */
  static final Pattern SQL_TABLE = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z_][a-zA-Z0-9_]*)?$");

  private static void validatePostgresConsumer(PostgresConsumerOptions p, String at) {
    notNull(p, at);
    notNull(p.getDsn(), at + ".dsn");
    check(!p.getDsn().isEmpty(), at + ".dsn", "must be set (postgres://user:password@host:port/database)");
    check(p.getDsn().startsWith("postgres://") || p.getDsn().startsWith("postgresql://"), at + ".dsn",
        "must be a postgres:// or postgresql:// URL");
    notNull(p.getOutboxTableName(), at + ".outbox_table_name");
    check(SQL_TABLE.matcher(p.getOutboxTableName()).matches(), at + ".outbox_table_name",
        "must be a table name like \"rotor_outbox\" or \"app.outbox\", got \"" + p.getOutboxTableName() + "\"");
    check(p.getNumPartitions() >= 1, at + ".num_partitions", "must be at least 1, got " + p.getNumPartitions());
    check(p.getPartitionSelectLimit() >= 1, at + ".partition_select_limit",
        "must be at least 1, got " + p.getPartitionSelectLimit());
    Duration poll = duration(p.getPartitionPollInterval(), at + ".partition_poll_interval");
    check(poll.toMillis() >= 1, at + ".partition_poll_interval", "must be at least 1ms");
    notNull(p.getPartitionNotificationChannel(), at + ".partition_notification_channel");
    notNull(p.getPartitionNotificationDsn(), at + ".partition_notification_dsn");
    String dsn = p.getPartitionNotificationDsn();
    check(dsn.isEmpty() || dsn.startsWith("postgres://") || dsn.startsWith("postgresql://"),
        at + ".partition_notification_dsn", "must be a postgres:// or postgresql:// URL");
  }

  private static void validateRedisStreamConsumer(RedisStreamConsumerOptions r, String at) {
    notNull(r, at);
    notNull(r.getAddress(), at + ".address");
    check(r.getAddress().size() == 1, at + ".address", "needs exactly one Redis address, got " + r.getAddress().size());
    String a = r.getAddress().get(0);
    notNull(a, at + ".address[0]");
    check(a.matches("(rediss?://)?([^@/]*@)?[^:/@]+(:\\d{1,5})?(/\\d+)?"), at + ".address[0]",
        "expected host:port or redis://[:password@]host:port[/db], got \"" + a + "\"");
    duration(r.getConnectTimeout(), at + ".connect_timeout");
    Duration io = duration(r.getIoTimeout(), at + ".io_timeout");
    check(io.toMillis() >= 1, at + ".io_timeout", "must be at least 1ms");
    check(r.getDb() >= 0, at + ".db", "must not be negative, got " + r.getDb());
    notNull(r.getUser(), at + ".user");
    notNull(r.getPassword(), at + ".password");
    notNull(r.getStreams(), at + ".streams");
    check(!r.getStreams().isEmpty(), at + ".streams", "can't be empty");
    for (int i = 0; i < r.getStreams().size(); i++) {
      String s = r.getStreams().get(i);
      check(s != null && !s.isEmpty(), at + ".streams[" + i + "]", "must not be empty");
    }
    notNull(r.getConsumerGroup(), at + ".consumer_group");
    check(!r.getConsumerGroup().isEmpty(), at + ".consumer_group", "is required");
    Duration vt = duration(r.getVisibilityTimeout(), at + ".visibility_timeout");
    check(vt.toMillis() >= 1, at + ".visibility_timeout", "must be positive");
    check(r.getNumWorkers() >= 1, at + ".num_workers", "must be at least 1, got " + r.getNumWorkers());
    notNull(r.getPayloadValue(), at + ".payload_value");
    check(!r.getPayloadValue().isEmpty(), at + ".payload_value", "must not be empty");
    notNull(r.getMethodValue(), at + ".method_value");
  }

  private static void validateAdmin(AdminOptions a) {
    notNull(a, "admin");
    notNull(a.getPassword(), "admin.password");
    notNull(a.getSecret(), "admin.secret");
    String prefix = a.getHandlerPrefix();
    notNull(prefix, "admin.handler_prefix");
    check(prefix.startsWith("/") && prefix.length() > 1 && !prefix.endsWith("/"), "admin.handler_prefix",
        "must start with / and not end with / (like \"/admin\"), got \"" + prefix + "\"");
    if (a.isEnabled() && !a.isInsecure()) {
      check(!a.getPassword().isEmpty(), "admin.password", "must be set when admin.enabled (or set admin.insecure)");
      check(!a.getSecret().isEmpty(), "admin.secret", "must be set when admin.enabled (or set admin.insecure)");
    }
  }

  private static void validateHttpServer(HttpServerOptions s) {
    notNull(s.getAddress(), "http_server.address");
    int port = s.getPort();
    check(port >= 0 && port <= 65535, "http_server.port",
        "must be between 1 and 65535 (or 0 to pick a free port), got " + port);
    int internal = s.getInternalPort();
    check(internal >= 0 && internal <= 65535, "http_server.internal_port",
        "must be between 1 and 65535 (or 0 for none), got " + internal);
    check(internal == 0 || internal != port, "http_server.internal_port", "must differ from http_server.port");
    notNull(s.getInternalAddress(), "http_server.internal_address");
    duration(s.getReadHeaderTimeout(), "http_server.read_header_timeout");
    duration(s.getReadTimeout(), "http_server.read_timeout");
    notNull(s.getIoTransport(), "http_server.io_transport");
    check(io.rotor.server.IoTransport.NAMES.contains(s.getIoTransport()), "http_server.io_transport",
        "must be one of " + io.rotor.server.IoTransport.NAMES + ", got \"" + s.getIoTransport() + "\"");
  }

  private static void validateClient(ClientOptions c) {
    notNull(c.getToken(), "client.token");
    validateToken(c.getToken(), "client.token");
    notNull(c.getSubscriptionToken(), "client.subscription_token");
    validateToken(c.getSubscriptionToken(), "client.subscription_token");
    notNull(c.getAllowedOrigins(), "client.allowed_origins");
    for (int i = 0; i < c.getAllowedOrigins().size(); i++) {
      notNull(c.getAllowedOrigins().get(i), "client.allowed_origins[" + i + "]");
    }
    check(c.getQueueMaxSize() > 0, "client.queue_max_size", "must be positive, got " + c.getQueueMaxSize());
    notNegative(c.getHistoryMaxPublicationLimit(), "client.history_max_publication_limit");
    notNegative(c.getRecoveryMaxPublicationLimit(), "client.recovery_max_publication_limit");
    notNegative(c.getChannelLimit(), "client.channel_limit");
    notNegative(c.getUserConnectionLimit(), "client.user_connection_limit");
    notNegative(c.getConnectionLimit(), "client.connection_limit");
    notNegative(c.getConnectionRateLimit(), "client.connection_rate_limit");
    duration(c.getConnectionAdmissionLag(), "client.connection_admission_lag");
    notNull(c.getRateLimit(), "client.rate_limit");
    notNull(c.getRateLimit().getClientCommand(), "client.rate_limit.client_command");
    check(c.getRateLimit().getClientCommand().getRate() > 0, "client.rate_limit.client_command.rate",
        "must be positive, got " + c.getRateLimit().getClientCommand().getRate());
    Duration commandInterval = duration(c.getRateLimit().getClientCommand().getInterval(),
        "client.rate_limit.client_command.interval");
    check(!commandInterval.isZero(), "client.rate_limit.client_command.interval", "must be positive");
    Duration ping = duration(c.getPingInterval(), "client.ping_interval");
    Duration pong = duration(c.getPongTimeout(), "client.pong_timeout");
    duration(c.getStaleCloseDelay(), "client.stale_close_delay");
    duration(c.getExpiredCloseDelay(), "client.expired_close_delay");
    duration(c.getExpiredSubCloseDelay(), "client.expired_sub_close_delay");
    duration(c.getChannelPositionCheckDelay(), "client.channel_position_check_delay");
    duration(c.getPresenceUpdateInterval(), "client.presence_update_interval");
    // A pong can only be awaited until the next ping; 0 disables pings (ping_interval) or the check (pong_timeout).
    check(ping.isZero() || pong.isZero() || pong.compareTo(ping) < 0, "client.ping_interval",
        "must be greater than client.pong_timeout (" + Durations.format(ping) + " <= "
            + Durations.format(pong) + ")");
  }

  private static void validateToken(TokenOptions t, String path) {
    notNull(t.getHmacSecretKey(), path + ".hmac_secret_key");
    notNull(t.getHmacPreviousSecretKey(), path + ".hmac_previous_secret_key");
    String until = t.getHmacPreviousSecretKeyValidUntil();
    notNull(until, path + ".hmac_previous_secret_key_valid_until");
    if (!until.isEmpty()) {
      try {
        java.time.Instant.parse(until);
      } catch (java.time.format.DateTimeParseException e) {
        throw ConfigException.at(path + ".hmac_previous_secret_key_valid_until",
            "must be an RFC 3339 instant like 2026-01-31T00:00:00Z, got \"" + until + "\"");
      }
    }
    check(until.isEmpty() || !t.getHmacPreviousSecretKey().isEmpty(), path + ".hmac_previous_secret_key",
        "must be set when hmac_previous_secret_key_valid_until is set");
    check(t.getHmacPreviousSecretKey().isEmpty() || !until.isEmpty(), path + ".hmac_previous_secret_key_valid_until",
        "must be set when hmac_previous_secret_key is set (the old key must stop working some day)");
    pem(t.getRsaPublicKey(), "RSA", path + ".rsa_public_key");
    pem(t.getEcdsaPublicKey(), "EC", path + ".ecdsa_public_key");
    if (!t.getEcdsaPublicKey().isEmpty()) {
      try {
        io.rotor.auth.PublicKeys.ecdsaAlgorithm(io.rotor.auth.PublicKeys.parse(t.getEcdsaPublicKey(), "EC"));
      } catch (IllegalArgumentException e) {
        throw ConfigException.at(path + ".ecdsa_public_key", e.getMessage());
      }
    }
    String jwks = t.getJwksPublicEndpoint();
    notNull(jwks, path + ".jwks_public_endpoint");
    check(jwks.isEmpty() || jwks.startsWith("https://") || jwks.startsWith("http://"), path + ".jwks_public_endpoint",
        "must be an http(s) URL, got \"" + jwks + "\"");
    notNull(t.getAudience(), path + ".audience");
    notNull(t.getIssuer(), path + ".issuer");
    regex(t.getAudienceRegex(), path + ".audience_regex");
    regex(t.getIssuerRegex(), path + ".issuer_regex");
  }

  private static void pem(String pem, String type, String key) {
    notNull(pem, key);
    if (!pem.isEmpty()) {
      try {
        io.rotor.auth.PublicKeys.parse(pem, type);
      } catch (IllegalArgumentException e) {
        throw ConfigException.at(key, e.getMessage());
      }
    }
  }

  private static void regex(String regex, String key) {
    notNull(regex, key);
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw ConfigException.at(key, "invalid regular expression \"" + regex + "\": " + e.getDescription());
    }
  }

  private static void validateHttpApi(HttpApiOptions a) {
    notNull(a.getKey(), "http_api.key");
    String prefix = a.getHandlerPrefix();
    notNull(prefix, "http_api.handler_prefix");
    // The router mounts <prefix> and <prefix>/<method>.
    check(prefix.startsWith("/") && prefix.length() > 1 && !prefix.endsWith("/"), "http_api.handler_prefix",
        "must start with / and not end with / (like \"/api\"), got \"" + prefix + "\"");
  }

  private static void validateEngine(EngineOptions e) {
    String type = e.getType();
    notNull(type, "engine.type");
    if (EngineOptions.SUPPORTED_TYPES.contains(type)) {
      validateRedis(e.getRedis(), e.isRedis());
      return;
    }
    String supported = String.join(", ", EngineOptions.SUPPORTED_TYPES.stream().sorted().toList());
    throw ConfigException.at("engine.type", EngineOptions.PLANNED_TYPES.contains(type)
        ? "engine type \"" + type + "\" is not available yet (supported: " + supported + ")"
        : "unknown engine type \"" + type + "\" (supported: " + supported + ")");
  }

  private static void validateRedis(RedisOptions r, boolean used) {
    notNull(r, "engine.redis");
    notNull(r.getAddress(), "engine.redis.address");
    notNull(r.getPrefix(), "engine.redis.prefix");
    Duration ttl = duration(r.getPresenceTtl(), "engine.redis.presence_ttl");
    Duration commandTimeout = duration(r.getCommandTimeout(), "engine.redis.command_timeout");
    if (!used) {
      return;
    }
    notNull(r.getUser(), "engine.redis.user");
    notNull(r.getPassword(), "engine.redis.password");
    notNull(r.getSentinelAddress(), "engine.redis.sentinel_address");
    notNull(r.getSentinelMasterName(), "engine.redis.sentinel_master_name");
    notNull(r.getSentinelUser(), "engine.redis.sentinel_user");
    notNull(r.getSentinelPassword(), "engine.redis.sentinel_password");
    notNull(r.getClusterAddress(), "engine.redis.cluster_address");
    check(!(r.isSentinel() && r.isCluster()), "engine.redis.sentinel_address",
        "cannot be combined with engine.redis.cluster_address: choose Sentinel or Redis Cluster");
    if (r.isSentinel()) {
      check(!r.getSentinelMasterName().isEmpty(), "engine.redis.sentinel_master_name",
          "is required with engine.redis.sentinel_address");
      seedLists(r.getSentinelAddress(), "engine.redis.sentinel_address");
    } else if (r.isCluster()) {
      seedLists(r.getClusterAddress(), "engine.redis.cluster_address");
    } else {
      check(r.getSentinelMasterName().isEmpty(), "engine.redis.sentinel_master_name",
          "is only used with engine.redis.sentinel_address");
    }
    check(!r.getAddress().isEmpty(), "engine.redis.address", "needs at least one Redis address");
    for (int i = 0; i < r.getAddress().size(); i++) {
      String a = r.getAddress().get(i);
      notNull(a, "engine.redis.address[" + i + "]");
      check(a.matches("(rediss?://)?([^@/]*@)?[^:/@]+(:\\d{1,5})?(/\\d+)?"), "engine.redis.address[" + i + "]",
          "expected host:port or redis://[:password@]host:port[/db], got \"" + a + "\"");
    }
    check(ttl.getSeconds() >= 1, "engine.redis.presence_ttl", "must be at least 1s, got " + Durations.format(ttl));
    check(commandTimeout.toMillis() >= 1, "engine.redis.command_timeout",
        "must be at least 1ms, got " + Durations.format(commandTimeout));
  }

  private static void validateBroker(RotorOptions o) {
    BrokerOptions b = o.getBroker();
    notNull(b, "broker");
    notNull(b.getType(), "broker.type");
    notNull(b.getNats(), "broker.nats");
    NatsBrokerOptions n = b.getNats();
    notNull(n.getUrl(), "broker.nats.url");
    notNull(n.getPrefix(), "broker.nats.prefix");
    Duration dial = duration(n.getDialTimeout(), "broker.nats.dial_timeout");
    Duration write = duration(n.getWriteTimeout(), "broker.nats.write_timeout");
    if (!b.isEnabled()) {
      return;
    }
    String supported = String.join(", ", BrokerOptions.SUPPORTED_TYPES.stream().sorted().toList());
    check(BrokerOptions.SUPPORTED_TYPES.contains(b.getType()), "broker.type", "redis".equals(b.getType())
        ? "broker type \"redis\" is not available as a separate broker; use engine.type: redis (the Redis broker)"
        : "unknown or unavailable broker type \"" + b.getType() + "\" (supported: " + supported + ")");
    check(o.getEngine().isRedis(), "broker.type",
        "nats needs engine.type: redis (history, presence and node discovery live in Redis; NATS only fans out)");
    check(!o.getCluster().isEnabled(), "broker.enabled",
        "the NATS broker cannot be combined with cluster.enabled (the Hazelcast cluster is a broker of its own)");
    for (String url : n.getUrl().split(",")) {
      check(url.trim().matches("(nats|tls)://[^/:]+(:\\d{1,5})?"), "broker.nats.url",
          "expected nats://host:port (comma-separated for several servers), got \"" + n.getUrl() + "\"");
    }
    check(!n.getPrefix().isEmpty() && n.getPrefix().matches("[A-Za-z0-9_\\-.]+") && !n.getPrefix().endsWith("."),
        "broker.nats.prefix", "must be a NATS subject of letters, digits, _, - and dots, got \"" + n.getPrefix() + "\"");
    check(dial.toMillis() >= 1, "broker.nats.dial_timeout", "must be at least 1ms, got " + Durations.format(dial));
    check(write.toMillis() >= 1, "broker.nats.write_timeout", "must be at least 1ms, got " + Durations.format(write));
  }

  /** Each entry one shard: comma-separated {@code host:port} seeds. */
  private static void seedLists(List<String> shards, String key) {
    for (int i = 0; i < shards.size(); i++) {
      String entry = shards.get(i);
      notNull(entry, key + "[" + i + "]");
      for (String seed : entry.split(",")) {
        check(seed.trim().matches("(rediss?://)?[^:/@,]+:\\d{1,5}"), key + "[" + i + "]",
            "expected comma-separated host:port entries, got \"" + entry + "\"");
      }
    }
  }

  private static void validateCluster(ClusterOptions c) {
    notNull(c.getName(), "cluster.name");
    notNull(c.getMembers(), "cluster.members");
    notNull(c.getHost(), "cluster.host");
    notNull(c.getPublicHost(), "cluster.public_host");
    for (int i = 0; i < c.getMembers().size(); i++) {
      notNull(c.getMembers().get(i), "cluster.members[" + i + "]");
    }
    check(c.getPort() > 0 && c.getPort() <= 65535, "cluster.port", "must be between 1 and 65535, got " + c.getPort());
    check(c.getEventBusPort() >= 0 && c.getEventBusPort() <= 65535, "cluster.event_bus_port",
        "must be between 1 and 65535 (or 0 to pick a free port), got " + c.getEventBusPort());
    if (c.isEnabled()) {
      check(!c.getName().isEmpty(), "cluster.name", "must not be empty");
      check(!c.getHost().isEmpty(), "cluster.host", "must not be empty");
    }
    Duration hb = duration(c.getHeartbeatTimeout(), "cluster.heartbeat_timeout");
    check(hb.getSeconds() >= 1, "cluster.heartbeat_timeout", "must be at least 1s, got " + Durations.format(hb));
    Duration rt = duration(c.getRequestTimeout(), "cluster.request_timeout");
    check(rt.toMillis() >= 1, "cluster.request_timeout", "must be positive, got " + Durations.format(rt));
    notNull(c.getTls(), "cluster.tls");
    validateClusterTls(c.getTls());
  }

  /** Event-bus TLS needs this node's key and an explicit trust: there is no trust-all fallback. */
  private static void validateClusterTls(ClusterTlsOptions t) {
    for (String[] key : new String[][] {{"cert_pem_file", t.getCertPemFile()}, {"key_pem_file", t.getKeyPemFile()},
        {"ca_pem_file", t.getCaPemFile()}, {"key_store_file", t.getKeyStoreFile()},
        {"key_store_password", t.getKeyStorePassword()}, {"trust_store_file", t.getTrustStoreFile()},
        {"trust_store_password", t.getTrustStorePassword()}}) {
      notNull(key[1], "cluster.tls." + key[0]);
    }
    if (!t.isEnabled()) {
      return;
    }
    boolean pem = !t.getCertPemFile().isEmpty() || !t.getKeyPemFile().isEmpty();
    boolean store = !t.getKeyStoreFile().isEmpty();
    check(pem || store, "cluster.tls.cert_pem_file", "TLS is enabled but this node has no key: set cert_pem_file "
        + "and key_pem_file, or key_store_file");
    check(!(pem && store), "cluster.tls.key_store_file", "set either key_store_file or cert_pem_file/key_pem_file, not both");
    if (pem) {
      check(!t.getCertPemFile().isEmpty(), "cluster.tls.cert_pem_file", "must be set with key_pem_file");
      check(!t.getKeyPemFile().isEmpty(), "cluster.tls.key_pem_file", "must be set with cert_pem_file");
      certificates(t.getCertPemFile(), "cluster.tls.cert_pem_file");
      readable(t.getKeyPemFile(), "cluster.tls.key_pem_file");
      check(read(t.getKeyPemFile(), "cluster.tls.key_pem_file").matches("(?s).*-----BEGIN [A-Z ]*PRIVATE KEY-----.*"),
          "cluster.tls.key_pem_file", "no PEM private key in \"" + t.getKeyPemFile() + "\"");
    } else {
      keyStore(t.getKeyStoreFile(), t.getKeyStorePassword(), "cluster.tls.key_store");
    }
    boolean caPem = !t.getCaPemFile().isEmpty();
    boolean trustStore = !t.getTrustStoreFile().isEmpty();
    check(caPem || trustStore, "cluster.tls.ca_pem_file", "TLS is enabled but nothing is trusted: set ca_pem_file "
        + "or trust_store_file to the CA that signed the cluster's certificates (there is no trust-all)");
    check(!(caPem && trustStore), "cluster.tls.trust_store_file", "set either trust_store_file or ca_pem_file, not both");
    if (caPem) {
      certificates(t.getCaPemFile(), "cluster.tls.ca_pem_file");
    } else {
      keyStore(t.getTrustStoreFile(), t.getTrustStorePassword(), "cluster.tls.trust_store");
    }
  }

  private static void readable(String file, String key) {
    check(Files.isReadable(Path.of(file)), key, "cannot read file \"" + file + "\"");
  }

  private static String read(String file, String key) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw ConfigException.at(key, "cannot read file \"" + file + "\": " + e.getMessage());
    }
  }

  /** The file holds at least one PEM (or DER) X.509 certificate. */
  private static void certificates(String file, String key) {
    readable(file, key);
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      check(!CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty(), key,
          "no certificate in \"" + file + "\"");
    } catch (IOException | GeneralSecurityException e) {
      throw ConfigException.at(key, "no readable certificate in \"" + file + "\": " + e.getMessage());
    }
  }

  /** {@code prefix + "_file"} opens as a key store (PKCS#12, or JKS by the .jks suffix) with {@code prefix + "_password"}. */
  private static void keyStore(String file, String password, String prefix) {
    readable(file, prefix + "_file");
    String type = file.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      KeyStore.getInstance(type).load(in, password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      String problem = e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")
          ? "wrong password" : "not a " + type + " store";
      throw ConfigException.at(prefix + "_file", problem + " (\"" + file + "\"): " + e.getMessage());
    }
  }

  private static void validateChannels(ChannelsOptions ch) {
    check(ch.getMaxLength() > 0, "channel.max_length", "must be positive, got " + ch.getMaxLength());
    Duration globalMeta = duration(ch.getHistoryMetaTtl(), "channel.history_meta_ttl");
    notNull(ch.getPrivatePrefix(), "channel.private_prefix");
    notNull(ch.getNamespaceBoundary(), "channel.namespace_boundary");
    notNull(ch.getUserBoundary(), "channel.user_boundary");
    notNull(ch.getUserSeparator(), "channel.user_separator");
    notNull(ch.getWithoutNamespace(), "channel.without_namespace");
    validateChannel(ch.getWithoutNamespace(), "channel.without_namespace", "", globalMeta);
    List<NamespaceOptions> namespaces = ch.getNamespaces();
    notNull(namespaces, "channel.namespaces");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < namespaces.size(); i++) {
      NamespaceOptions ns = namespaces.get(i);
      String at = "channel.namespaces[" + i + "]";
      notNull(ns, at);
      String name = ns.getName();
      check(name != null && !name.isEmpty(), at + ".name", "missing namespace name");
      check(NAMESPACE_NAME.matcher(name).matches(), at + ".name",
          "invalid namespace name \"" + name + "\" (must match " + NAMESPACE_NAME.pattern() + ")");
      check(names.add(name), at + ".name", "duplicate namespace name \"" + name + "\"");
      validateChannel(ns, at, " (namespace \"" + name + "\")", globalMeta);
    }
  }

  private static void validateChannel(ChannelOptions o, String at, String which, Duration globalMeta) {
    check(o.getHistorySize() >= 0, at + ".history_size", "must not be negative, got " + o.getHistorySize() + which);
    Duration ttl = duration(o.getHistoryTtl(), at + ".history_ttl");
    if (o.getHistoryMetaTtl() != null) {
      duration(o.getHistoryMetaTtl(), at + ".history_meta_ttl");
    }
    boolean size = o.getHistorySize() > 0;
    check(!size || !ttl.isZero(), at + ".history_ttl",
        "must be set when history_size is set (history needs both)" + which);
    check(size || ttl.isZero(), at + ".history_size",
        "must be set when history_ttl is set (history needs both)" + which);
    Duration meta = ChannelsOptions.effectiveHistoryMetaTtl(o, globalMeta);
    check(meta.compareTo(ttl) >= 0, at + ".history_meta_ttl",
        "history_ttl (" + Durations.format(ttl) + ") can not be greater than history_meta_ttl ("
            + Durations.format(meta) + (o.getHistoryMetaTtl() == null ? ", from channel.history_meta_ttl" : "")
            + ")" + which);
    requiresHistory(o.isForceRecovery(), size, at + ".force_recovery", which);
    requiresHistory(o.isAllowRecovery(), size, at + ".allow_recovery", which);
    requiresHistory(o.isForcePositioning(), size, at + ".force_positioning", which);
    requiresHistory(o.isAllowPositioning(), size, at + ".allow_positioning", which);
    String mode = o.getForceRecoveryMode();
    check(mode != null && ChannelOptions.FORCE_RECOVERY_MODES.contains(mode), at + ".force_recovery_mode",
        "must be \"stream\" or \"cache\", got " + (mode == null ? "null" : "\"" + mode + "\"") + which);
    check(!o.isAutoCacheRecover() || o.isForceRecovery() && "cache".equals(mode), at + ".auto_cache_recover",
        "requires force_recovery and force_recovery_mode set to \"cache\"" + which);
    notNull(o.getAllowedDeltaTypes(), at + ".allowed_delta_types");
    for (String t : o.getAllowedDeltaTypes()) {
      check(ChannelOptions.DELTA_TYPES.contains(t), at + ".allowed_delta_types",
          "unknown delta type " + (t == null ? "null" : "\"" + t + "\"") + " (only \"fossil\" exists)" + which);
    }
    dataFormat(o.getPublicationDataFormat(), at + ".publication_data_format", which);
    String regex = o.getChannelRegex();
    notNull(regex, at + ".channel_regex");
    if (!regex.isEmpty()) {
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw ConfigException.at(at + ".channel_regex",
            "invalid regular expression \"" + regex + "\": " + e.getDescription() + which);
      }
    }
  }

  private static void requiresHistory(boolean flag, boolean history, String key, String which) {
    check(!flag || history, key, "requires history: set history_size and history_ttl" + which);
  }

  private static Duration duration(Duration d, String key) {
    notNull(d, key);
    check(!d.isNegative(), key, "must not be negative, got " + Durations.format(d));
    return d;
  }

  private static void notNegative(int value, String key) {
    check(value >= 0, key, "must not be negative, got " + value);
  }

  private static void notNull(Object value, String key) {
    check(value != null, key, "must not be null");
  }

  private static void check(boolean ok, String key, String problem) {
    if (!ok) {
      throw ConfigException.at(key, problem);
    }
  }

  private static void dataFormat(String format, String key, String which) {
    check(format != null && ChannelOptions.PUBLICATION_DATA_FORMATS.contains(format), key,
        "must be \"\", \"json\", \"json_object\" or \"binary\", got "
            + (format == null ? "null" : "\"" + format + "\"") + which);
  }
}
