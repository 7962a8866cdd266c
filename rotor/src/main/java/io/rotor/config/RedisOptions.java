package io.rotor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code engine.redis}: the Redis servers that keep history streams and presence. Several
 * addresses shard channels over the servers (each channel always lands on the same one).
 */
public class RedisOptions {

  public static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";
  public static final String DEFAULT_PREFIX = "rotor";
  public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

  /** {@code host:port} or {@code redis://[:password@]host:port[/db]}, one per shard. */
  private List<String> address = new ArrayList<>(List.of(DEFAULT_ADDRESS));
  /** Every key starts with this, so several deployments can share one Redis. */
  private String prefix = DEFAULT_PREFIX;
  /** A presence entry not refreshed for this long is gone (its node died). */
  private Duration presenceTtl = DEFAULT_PRESENCE_TTL;
  /**
   * A command without a reply for this long fails, so a connection that swallows replies fails
   * publishes instead of stalling them; the ordered (history append) connection is then replaced.
   */
  private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

  public List<String> getAddress() {
    return address;
  }

  public RedisOptions setAddress(List<String> address) {
    this.address = address;
    return this;
  }

  public String getPrefix() {
    return prefix;
  }

  public RedisOptions setPrefix(String prefix) {
    this.prefix = prefix;
    return this;
  }

  public Duration getPresenceTtl() {
    return presenceTtl;
  }

  public RedisOptions setPresenceTtl(Duration presenceTtl) {
    this.presenceTtl = presenceTtl;
    return this;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public RedisOptions setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
    return this;
  }
}
