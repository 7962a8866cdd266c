package io.rotor.protocol;

/** The request fields of a protocol v2 Command, in the order the server looks for them. */
public enum CommandType {
  CONNECT("connect"),
  SUBSCRIBE("subscribe"),
  UNSUBSCRIBE("unsubscribe"),
  PUBLISH("publish"),
  PRESENCE("presence"),
  PRESENCE_STATS("presence_stats"),
  HISTORY("history"),
  SEND("send"),
  RPC("rpc"),
  REFRESH("refresh"),
  SUB_REFRESH("sub_refresh");

  private static final CommandType[] ALL = values();
  private final String key;

  CommandType(String key) {
    this.key = key;
  }

  /** The JSON key of the request, and of the result in the reply. */
  public String key() {
    return key;
  }

  static CommandType[] all() {
    return ALL;
  }
}
