package io.rotor.transport.uni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the Client's bidirectional output into the unidirectional protocol: pushes lose their
 * {@code {"push":...}} wrapper, the connect reply becomes a {@code connect} push, pings stay
 * {@code {}}, and a failed connect becomes the disconnect that ends the stream.
 */
public final class UniFrames {

  private static final byte[] PUSH_PREFIX = "{\"push\":".getBytes(StandardCharsets.US_ASCII);

  /** The pushes of one frame, and the disconnect to end with if the connect failed. */
  public record Translated(List<byte[]> pushes, Disconnect end) {
  }

  private UniFrames() {
  }

  /** The first command of a unidirectional connection: the client's bare ConnectRequest. */
  public static String connectCommand(String connectRequest) {
    if (connectRequest == null) {
      return null;
    }
    JsonNode request;
    try {
      request = JsonCodec.MAPPER.readTree(connectRequest);
    } catch (IOException e) {
      return null;
    }
    if (request == null || !request.isObject()) {
      return null;
    }
    ObjectNode cmd = JsonCodec.object();
    cmd.put("id", 1);
    cmd.set("connect", request);
    // Re-encoding drops whitespace newlines a hand-written request may have: frames split on them.
    return cmd.toString();
  }

  public static Translated translate(byte[] frame) {
    List<byte[]> out = new ArrayList<>(2);
    int start = 0;
    for (int i = 0; i <= frame.length; i++) {
      if (i == frame.length || frame[i] == '\n') {
        Disconnect end = translateOne(frame, start, i, out);
        if (end != null) {
          return new Translated(out, end);
        }
        start = i + 1;
      }
    }
    return new Translated(out, null);
  }

  private static Disconnect translateOne(byte[] frame, int from, int to, List<byte[]> out) {
    if (to - from > PUSH_PREFIX.length && startsWith(frame, from, PUSH_PREFIX)) {
      out.add(Arrays.copyOfRange(frame, from + PUSH_PREFIX.length, to - 1));
      return null;
    }
    if (to - from == 2 && frame[from] == '{' && frame[from + 1] == '}') {
      out.add(JsonCodec.PING);
      return null;
    }
    JsonNode reply;
    try {
      reply = JsonCodec.MAPPER.readTree(frame, from, to - from);
    } catch (IOException e) {
      return null;
    }
    if (reply.has("connect")) {
      out.add(JsonCodec.toBytes(JsonCodec.object().set("connect", reply.get("connect"))));
      return null;
    }
    JsonNode error = reply.get("error");
    if (error != null) {
      int code = error.path("code").asInt();
      if (code == ClientError.TOKEN_EXPIRED.code()) {
        return Disconnect.EXPIRED;
      }
      return code == ClientError.INTERNAL.code() ? Disconnect.SERVER_ERROR : Disconnect.BAD_REQUEST;
    }
    // Replies to other commands cannot happen: a unidirectional client sends nothing else.
    return null;
  }

  private static boolean startsWith(byte[] a, int from, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (a[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
