package io.rotor.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.rotor.core.Disconnect;
import io.rotor.protocol.pb.Push;
import io.rotor.protocol.pb.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Bidirectional JSON: newline-separated commands in, newline-joined replies and pushes out. */
class JsonWire implements Wire {

  /** A server ping on a bidirectional connection: an empty Reply. */
  static final byte[] PING = {'{', '}'};

  @Override
  public int index() {
    return 0;
  }

  @Override
  public String protocol() {
    return "json";
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public boolean unidirectional() {
    return false;
  }

  /**
   * Messages are separated by exactly one newline and at most one trailing newline is tolerated;
   * anything else, or a frame with no command, is a bad request.
   */
  @Override
  public List<Command> decode(byte[] frame) {
    int end = frame.length;
    if (end > 0 && frame[end - 1] == '\n') {
      end--;
    }
    if (end == 0) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    List<Command> commands = new ArrayList<>(2);
    int start = 0;
    while (start <= end) {
      int nl = start;
      while (nl < end && frame[nl] != '\n') {
        nl++;
      }
      if (nl == start) {
        throw Disconnect.BAD_REQUEST.asException();
      }
      commands.add(decodeCommand(frame, start, nl - start));
      start = nl + 1;
    }
    return commands;
  }

  static Command decodeCommand(byte[] frame, int offset, int length) {
    JsonNode node;
    try {
      node = JsonCodec.readExact(frame, offset, length);
    } catch (IOException e) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    if (node == null || !node.isObject()) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    return command((ObjectNode) node);
  }

  /** A command object: its id, and the first request field set, in {@link CommandType} order. */
  static Command command(ObjectNode node) {
    long id = 0;
    JsonNode idNode = node.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isIntegralNumber() || !idNode.canConvertToLong() || idNode.asLong() < 0 || idNode.asLong() > 0xFFFFFFFFL) {
        throw Disconnect.BAD_REQUEST.asException();
      }
      id = idNode.asLong();
    }
    for (CommandType type : CommandType.all()) {
      JsonNode req = node.get(type.key());
      if (req == null || req.isNull()) {
        continue;
      }
      if (!req.isObject()) {
        throw Disconnect.BAD_REQUEST.asException();
      }
      if (id == 0 && type != CommandType.SEND) {
        return Command.PONG;
      }
      io.rotor.protocol.pb.Command.Builder b = io.rotor.protocol.pb.Command.newBuilder().setId((int) id);
      Message.Builder request = b.newBuilderForField(type.field());
      JsonMessages.read(req, request);
      b.setField(type.field(), request.build());
      return new Command(id, type, b.build());
    }
    if (id == 0) {
      return Command.PONG;
    }
    throw Disconnect.BAD_REQUEST.asException();
  }

  @Override
  public byte[] reply(Reply reply) {
    return write(g -> JsonMessages.write(g, reply));
  }

  @Override
  public byte[] push(Push push) {
    return write(g -> {
      g.writeStartObject();
      g.writeFieldName("push");
      JsonMessages.write(g, push);
      g.writeEndObject();
    });
  }

  @Override
  public byte[] ping() {
    return PING;
  }

  @Override
  public byte[] frame(List<byte[]> messages, int totalBytes) {
    if (messages.size() == 1) {
      return messages.get(0);
    }
    byte[] frame = new byte[totalBytes + messages.size() - 1];
    int pos = 0;
    for (byte[] m : messages) {
      if (pos > 0) {
        frame[pos++] = '\n';
      }
      System.arraycopy(m, 0, frame, pos, m.length);
      pos += m.length;
    }
    return frame;
  }

  interface GeneratorWork {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] write(GeneratorWork work) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256);
         JsonGenerator g = JsonCodec.MAPPER.getFactory().createGenerator(out)) {
      work.write(g);
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "json";
  }
}
