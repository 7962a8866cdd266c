package io.rotor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.protocol.pb.ConnectRequest;
import java.io.IOException;

/**
 * One decoded client command, typed: {@code pb} is the protocol's Command message whatever the
 * wire, and {@code type} names its request. {@code type} is null for a pong (an empty command, or
 * id 0 without {@code send}).
 */
public record Command(long id, CommandType type, io.rotor.protocol.pb.Command pb) {

  static final Command PONG = new Command(0, null, io.rotor.protocol.pb.Command.getDefaultInstance());

  public boolean isPong() {
    return type == null;
  }

  /**
   * The first command of a unidirectional connection, from the client's bare ConnectRequest JSON;
   * null when it is not one.
   */
  public static Command uniConnect(String connectRequest) {
    if (connectRequest == null) {
      return null;
    }
    JsonNode request;
    try {
      request = JsonCodec.readExact(connectRequest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
    if (request == null || !request.isObject()) {
      return null;
    }
    ConnectRequest.Builder b = ConnectRequest.newBuilder();
    try {
      JsonMessages.read(request, b);
    } catch (io.rotor.core.Disconnect.Exception e) {
      return null;
    }
    return new Command(1, CommandType.CONNECT, io.rotor.protocol.pb.Command.newBuilder().setId(1).setConnect(b).build());
  }
}
