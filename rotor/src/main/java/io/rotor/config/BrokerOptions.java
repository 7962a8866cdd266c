package io.rotor.config;

import java.util.Set;

/**
 * {@code broker}: a broker configured apart from the engine, as in Centrifugo v6. This build has
 * the NATS broker ({@code type: "nats"}) for fan-out only: history, presence and node discovery
 * stay with {@code engine.type: "redis"}.
 */
public class BrokerOptions {

  /** Broker types this build can run when {@code enabled}. */
  public static final Set<String> SUPPORTED_TYPES = Set.of("nats");

  private boolean enabled;
  private String type = "memory";
  private NatsBrokerOptions nats = new NatsBrokerOptions();

  public boolean isEnabled() {
    return enabled;
  }

  public BrokerOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getType() {
    return type;
  }

  public BrokerOptions setType(String type) {
    this.type = type;
    return this;
  }

  public NatsBrokerOptions getNats() {
    return nats;
  }

  public BrokerOptions setNats(NatsBrokerOptions nats) {
    this.nats = nats;
    return this;
  }

  /** The NATS broker is on. */
  public boolean isNats() {
    return enabled && "nats".equals(type);
  }
}
