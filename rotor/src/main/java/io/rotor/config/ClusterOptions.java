package io.rotor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cluster}: several nodes joined into one Vert.x cluster (Hazelcast, TCP-IP join) whose
 * event bus carries publications, sequencing requests and server API calls between nodes.
 */
public class ClusterOptions {

  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_NAME = "rotor";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private boolean enabled = DEFAULT_ENABLED;
  /** Nodes with another name never join: one name per deployment (tests use one per test). */
  private String name = DEFAULT_NAME;
  /** Hazelcast members to join, {@code host} or {@code host:port}; empty means this host's ports 5701-5710. */
  private List<String> members = new ArrayList<>();
  /** Interface Hazelcast and the event bus bind to. */
  private String host = DEFAULT_HOST;
  /** First Hazelcast port tried; the next free one up to +9 is taken. */
  private int port = DEFAULT_PORT;
  /** Address other members use to reach this one (behind NAT, in containers); empty: {@code host}. */
  private String publicHost = "";
  /** Event-bus TCP port; 0 picks a free one. */
  private int eventBusPort = 0;
  /** A member silent for this long is dropped and its channels move to the others. */
  private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
  /** How long a node waits for another node's answer (sequencing, API fan-out). */
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  /** TLS between nodes on the event bus (Hazelcast's own protocol stays plain). */
  private ClusterTlsOptions tls = new ClusterTlsOptions();

  public boolean isEnabled() {
    return enabled;
  }

  public ClusterOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getName() {
    return name;
  }

  public ClusterOptions setName(String name) {
    this.name = name;
    return this;
  }

  public List<String> getMembers() {
    return members;
  }

  public ClusterOptions setMembers(List<String> members) {
    this.members = members;
    return this;
  }

  public String getHost() {
    return host;
  }

  public ClusterOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getPublicHost() {
    return publicHost;
  }

  public ClusterOptions setPublicHost(String publicHost) {
    this.publicHost = publicHost;
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  public Duration getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public ClusterOptions setHeartbeatTimeout(Duration heartbeatTimeout) {
    this.heartbeatTimeout = heartbeatTimeout;
    return this;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public ClusterOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  public ClusterTlsOptions getTls() {
    return tls;
  }

  public ClusterOptions setTls(ClusterTlsOptions tls) {
    this.tls = tls;
    return this;
  }
}
