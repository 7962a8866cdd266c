package io.rotor.protocol;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.rotor.protocol.pb.Reply;

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
  private final FieldDescriptor field;
  private final FieldDescriptor replyField;

  CommandType(String key) {
    this.key = key;
    this.field = io.rotor.protocol.pb.Command.getDescriptor().findFieldByName(key);
    this.replyField = Reply.getDescriptor().findFieldByName(key);
  }

  /** The JSON key of the request, and of the result in the reply. */
  public String key() {
    return key;
  }

  /** The request's field in the Command message. */
  FieldDescriptor field() {
    return field;
  }

  /** The result's field in the Reply message (null for send, which has no reply). */
  FieldDescriptor replyField() {
    return replyField;
  }

  static CommandType[] all() {
    return ALL;
  }
}
