package io.rotor.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Rejects configurations that cannot work, with the key path in the message. */
final class ConfigValidator {

  private static final Pattern NAMESPACE_NAME = Pattern.compile("^[-a-zA-Z0-9_.]{2,}$");

  private ConfigValidator() {
  }

  static void validate(RotorOptions o) {
    int port = o.getHttpServer().getPort();
    check(port >= 0 && port <= 65535, "http_server.port", "must be between 0 and 65535, got " + port);
    validateClient(o.getClient());
    check(o.getWebsocket().getMessageSizeLimit() > 0, "websocket.message_size_limit", "must be positive");
    String engine = o.getEngine().getType();
    check(EngineOptions.SUPPORTED_TYPES.contains(engine), "engine.type",
        "unknown engine \"" + engine + "\" (supported: " + EngineOptions.SUPPORTED_TYPES + ")");
    ChannelsOptions ch = o.getChannel();
    check(ch.getMaxLength() > 0, "channel.max_length", "must be positive");
    check(ch.getHistoryMetaTtl() != null && !ch.getHistoryMetaTtl().isNegative(), "channel.history_meta_ttl", "must be set");
    validateChannel(ch.getWithoutNamespace(), "channel.without_namespace", ch.getHistoryMetaTtl());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ch.getNamespaces().size(); i++) {
      NamespaceOptions ns = ch.getNamespaces().get(i);
      String at = "channel.namespaces[" + i + "]";
      check(ns != null, at, "must be an object");
      check(ns.getName() != null && NAMESPACE_NAME.matcher(ns.getName()).matches(), at + ".name",
          "must match " + NAMESPACE_NAME.pattern() + ", got \"" + ns.getName() + "\"");
      check(names.add(ns.getName()), at + ".name", "duplicate namespace \"" + ns.getName() + "\"");
      validateChannel(ns, at, ch.getHistoryMetaTtl());
    }
  }

  private static void validateClient(ClientOptions c) {
    check(c.getQueueMaxSize() > 0, "client.queue_max_size", "must be positive");
    check(c.getHistoryMaxPublicationLimit() >= 0, "client.history_max_publication_limit", "must not be negative");
    check(c.getRecoveryMaxPublicationLimit() >= 0, "client.recovery_max_publication_limit", "must not be negative");
    check(c.getChannelLimit() >= 0, "client.channel_limit", "must not be negative");
    check(c.getUserConnectionLimit() >= 0, "client.user_connection_limit", "must not be negative");
    check(c.getAllowedOrigins() != null, "client.allowed_origins", "must be a list");
    check(c.getToken() != null, "client.token", "must be an object");
    Duration ping = c.getPingInterval();
    Duration pong = c.getPongTimeout();
    check(ping != null && pong != null, "client.ping_interval", "must be set");
    check(pong.isZero() || ping.compareTo(pong) > 0, "client.ping_interval",
        "must be greater than client.pong_timeout (" + Durations.format(ping) + " <= " + Durations.format(pong) + ")");
  }

  private static void validateChannel(ChannelOptions o, String at, Duration globalMetaTtl) {
    check(o.getHistorySize() >= 0, at + ".history_size", "must not be negative");
    boolean size = o.getHistorySize() > 0;
    boolean ttl = o.getHistoryTtl() != null && !o.getHistoryTtl().isZero();
    check(!size || ttl, at + ".history_ttl", "must be set when history_size is set");
    check(!ttl || size, at + ".history_size", "must be set when history_ttl is set");
    Duration meta = o.getHistoryMetaTtl() != null ? o.getHistoryMetaTtl() : globalMetaTtl;
    check(!ttl || meta.compareTo(o.getHistoryTtl()) >= 0, at + ".history_meta_ttl",
        "must not be shorter than history_ttl");
    check(!(o.isForceRecovery() || o.isAllowRecovery() || o.isForcePositioning() || o.isAllowPositioning()) || size,
        at, "positioning and recovery need history (history_size and history_ttl)");
    check("stream".equals(o.getForceRecoveryMode()) || "cache".equals(o.getForceRecoveryMode()),
        at + ".force_recovery_mode", "must be \"stream\" or \"cache\"");
    String regex = o.getChannelRegex();
    if (regex != null && !regex.isEmpty()) {
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new ConfigException(at + ".channel_regex: invalid regular expression: " + e.getDescription());
      }
    }
  }

  private static void check(boolean ok, String key, String message) {
    if (!ok) {
      throw new ConfigException(key + ": " + message);
    }
  }
}
