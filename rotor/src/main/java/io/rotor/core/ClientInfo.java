package io.rotor.core;

/**
 * Who a connection is, as other subscribers see it in presence, join/leave and publication info.
 * {@code connInfo} and {@code chanInfo} are raw JSON (UTF-8) or null.
 */
public record ClientInfo(String user, String client, byte[] connInfo, byte[] chanInfo) {

  public ClientInfo withChanInfo(byte[] chanInfo) {
    return new ClientInfo(user, client, connInfo, chanInfo);
  }
}
