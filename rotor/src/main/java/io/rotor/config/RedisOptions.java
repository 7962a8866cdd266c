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
  /** Redis ACL user and password for every Redis server (an address may also carry them). */
  private String user = "";
  private String password = "";
  /**
   * Redis Sentinel: one entry per shard, each a comma-separated list of the shard's Sentinels
   * ({@code host:port}). When set, {@code address} is not used: each shard's master is asked of its
   * Sentinels and followed when they fail over.
   */
  private List<String> sentinelAddress = new ArrayList<>();
  /** The master name the Sentinels monitor (required with {@code sentinel_address}). */
  private String sentinelMasterName = "";
  /** ACL user and password of the Sentinels themselves. */
  private String sentinelUser = "";
  private String sentinelPassword = "";
  /**
   * Redis Cluster: one entry per shard (a separate Redis Cluster), each a comma-separated list of
   * seed nodes ({@code host:port}). When set, {@code address} is not used.
   */
  private List<String> clusterAddress = new ArrayList<>();

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

  public String getUser() {
    return user;
  }

  public RedisOptions setUser(String user) {
    this.user = user;
    return this;
  }

  public String getPassword() {
    return password;
  }

  public RedisOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public List<String> getSentinelAddress() {
    return sentinelAddress;
  }

  public RedisOptions setSentinelAddress(List<String> sentinelAddress) {
    this.sentinelAddress = sentinelAddress;
    return this;
  }

  public String getSentinelMasterName() {
    return sentinelMasterName;
  }

  public RedisOptions setSentinelMasterName(String sentinelMasterName) {
    this.sentinelMasterName = sentinelMasterName;
    return this;
  }

  public String getSentinelUser() {
    return sentinelUser;
  }

  public RedisOptions setSentinelUser(String sentinelUser) {
    this.sentinelUser = sentinelUser;
    return this;
  }

  public String getSentinelPassword() {
    return sentinelPassword;
  }

  public RedisOptions setSentinelPassword(String sentinelPassword) {
    this.sentinelPassword = sentinelPassword;
    return this;
  }

  public List<String> getClusterAddress() {
    return clusterAddress;
  }

  public RedisOptions setClusterAddress(List<String> clusterAddress) {
    this.clusterAddress = clusterAddress;
    return this;
  }

  /** Shards reached through Sentinel. */
  public boolean isSentinel() {
    return sentinelAddress != null && !sentinelAddress.isEmpty();
  }

  /** Shards that are each a Redis Cluster. */
  public boolean isCluster() {
    return clusterAddress != null && !clusterAddress.isEmpty();
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public RedisOptions setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
    return this;
  }
}
