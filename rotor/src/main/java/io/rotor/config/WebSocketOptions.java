package io.rotor.config;

/** {@code websocket}: the bidirectional WebSocket transport. */
public class WebSocketOptions {

  public static final boolean DEFAULT_DISABLED = false;
  public static final int DEFAULT_MESSAGE_SIZE_LIMIT = 65536;

  private boolean disabled = DEFAULT_DISABLED;
  private int messageSizeLimit = DEFAULT_MESSAGE_SIZE_LIMIT;

  public boolean isDisabled() {
    return disabled;
  }

  public WebSocketOptions setDisabled(boolean disabled) {
    this.disabled = disabled;
    return this;
  }

  public int getMessageSizeLimit() {
    return messageSizeLimit;
  }

  public WebSocketOptions setMessageSizeLimit(int messageSizeLimit) {
    this.messageSizeLimit = messageSizeLimit;
    return this;
  }
}
