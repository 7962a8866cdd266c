package io.rotor.config;

/**
 * {@code event_bus_api}: the server API on the Vert.x event bus. In a cluster any Vert.x service
 * that joins it can send {@code {"method": ..., "params": ...}} to the address.
 */
public class EventBusApiOptions {

  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_ADDRESS = "rotor.api";

  private boolean enabled = DEFAULT_ENABLED;
  private String address = DEFAULT_ADDRESS;

  public boolean isEnabled() {
    return enabled;
  }

  public EventBusApiOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getAddress() {
    return address;
  }

  public EventBusApiOptions setAddress(String address) {
    this.address = address;
    return this;
  }
}
