package io.rotor.protocol;

import com.google.protobuf.Message;
import io.rotor.core.Disconnect;
import io.rotor.protocol.pb.Push;
import io.rotor.protocol.pb.Reply;
import java.util.List;

/**
 * The unidirectional JSON protocol: pushes without the {@code {"push":...}} wrapper, the connect
 * result as a {@code connect} push, pings as {@code {}}. The client sends one bare ConnectRequest
 * ({@link #connectCommand}) and nothing after it, so there are no other replies.
 */
final class UniJsonWire extends JsonWire {

  @Override
  public int index() {
    return 2;
  }

  @Override
  public boolean unidirectional() {
    return true;
  }

  @Override
  public List<Command> decode(byte[] frame) {
    // Nothing but the connect request is read from a unidirectional client.
    throw Disconnect.BAD_REQUEST.asException();
  }

  @Override
  public byte[] reply(Reply reply) {
    if (!reply.hasConnect()) {
      return null;
    }
    Message connect = reply.getConnect();
    return write(g -> {
      g.writeStartObject();
      g.writeFieldName("connect");
      JsonMessages.write(g, connect);
      g.writeEndObject();
    });
  }

  @Override
  public byte[] push(Push push) {
    return write(g -> JsonMessages.write(g, push));
  }

  @Override
  public String toString() {
    return "uni_json";
  }
}
