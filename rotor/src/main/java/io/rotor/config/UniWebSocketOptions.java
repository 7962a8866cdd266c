package io.rotor.config;

/** {@code uni_websocket}: the unidirectional WebSocket transport (server to client only). */
public class UniWebSocketOptions {

  public static final boolean DEFAULT_ENABLED = false;
  public static final int DEFAULT_MESSAGE_SIZE_LIMIT = 65536;

  private boolean enabled = DEFAULT_ENABLED;
  private int messageSizeLimit = DEFAULT_MESSAGE_SIZE_LIMIT;

  public boolean isEnabled() {
    return enabled;
  }

  public UniWebSocketOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int getMessageSizeLimit() {
    return messageSizeLimit;
  }

  public UniWebSocketOptions setMessageSizeLimit(int messageSizeLimit) {
    this.messageSizeLimit = messageSizeLimit;
    return this;
  }
}
