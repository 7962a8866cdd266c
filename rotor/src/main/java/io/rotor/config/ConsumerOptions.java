package io.rotor.config;

import java.util.List;

/**
 * One entry of {@code consumers}: an asynchronous source of server API commands, Centrifugo v6's
 * keys. Rotor runs the {@code postgresql} (outbox table) and {@code redis_stream} types; the other
 * Centrifugo types are refused by name when enabled.
 */
public class ConsumerOptions {

  public static final String POSTGRESQL = "postgresql";
  public static final String REDIS_STREAM = "redis_stream";
  public static final List<String> SUPPORTED_TYPES = List.of(POSTGRESQL, REDIS_STREAM);
  /** Centrifugo's other consumer types. */
  public static final List<String> PLANNED_TYPES = List.of("kafka", "nats_jetstream", "google_pub_sub", "aws_sqs",
      "azure_service_bus");

  private String name = "";
  private boolean enabled = false;
  private String type = "";
  private PostgresConsumerOptions postgresql = new PostgresConsumerOptions();
  private RedisStreamConsumerOptions redisStream = new RedisStreamConsumerOptions();

  public String getName() {
    return name;
  }

  public ConsumerOptions setName(String name) {
    this.name = name;
    return this;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public ConsumerOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getType() {
    return type;
  }

  public ConsumerOptions setType(String type) {
    this.type = type;
    return this;
  }

  public PostgresConsumerOptions getPostgresql() {
    return postgresql;
  }

  public ConsumerOptions setPostgresql(PostgresConsumerOptions postgresql) {
    this.postgresql = postgresql;
    return this;
  }

  public RedisStreamConsumerOptions getRedisStream() {
    return redisStream;
  }

  public ConsumerOptions setRedisStream(RedisStreamConsumerOptions redisStream) {
    this.redisStream = redisStream;
    return this;
  }
}
