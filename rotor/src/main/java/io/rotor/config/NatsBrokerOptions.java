package io.rotor.config;

import java.time.Duration;

/** {@code broker.nats}: the NATS server the NATS broker fans out through. */
public class NatsBrokerOptions {

  public static final String DEFAULT_URL = "nats://localhost:4222";
  public static final String DEFAULT_PREFIX = "centrifugo";
  public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(1);

  /** The server, {@code nats://host:port}; several comma-separated for a NATS cluster. */
  private String url = DEFAULT_URL;
  /** Every subject starts with this, so several deployments can share one NATS. */
  private String prefix = DEFAULT_PREFIX;
  /** How long connecting may take. */
  private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;
  /** How long a subscribe may wait for the server to confirm it (a flush). */
  private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;

  public String getUrl() {
    return url;
  }

  public NatsBrokerOptions setUrl(String url) {
    this.url = url;
    return this;
  }

  public String getPrefix() {
    return prefix;
  }

  public NatsBrokerOptions setPrefix(String prefix) {
    this.prefix = prefix;
    return this;
  }

  public Duration getDialTimeout() {
    return dialTimeout;
  }

  public NatsBrokerOptions setDialTimeout(Duration dialTimeout) {
    this.dialTimeout = dialTimeout;
    return this;
  }

  public Duration getWriteTimeout() {
    return writeTimeout;
  }

  public NatsBrokerOptions setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
    return this;
  }
}
