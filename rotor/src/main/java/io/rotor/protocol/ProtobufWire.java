package io.rotor.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rotor.core.Disconnect;
import io.rotor.protocol.pb.Push;
import io.rotor.protocol.pb.Reply;
import java.util.ArrayList;
import java.util.List;

/** The Protobuf protocol: every message prefixed with its length as an unsigned varint. */
final class ProtobufWire implements Wire {

  private static final byte[] EMPTY = new byte[0];

  @Override
  public int index() {
    return 1;
  }

  @Override
  public String protocol() {
    return "protobuf";
  }

  @Override
  public boolean binary() {
    return true;
  }

  @Override
  public boolean unidirectional() {
    return false;
  }

  @Override
  public List<Command> decode(byte[] frame) {
    if (frame.length == 0) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    List<Command> commands = new ArrayList<>(2);
    int pos = 0;
    while (pos < frame.length) {
      long len = 0;
      int shift = 0;
      while (true) {
        if (pos >= frame.length || shift > 28) {
          // Truncated, or longer than a 32-bit length.
          throw Disconnect.BAD_REQUEST.asException();
        }
        byte b = frame[pos++];
        len |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
      }
      if (len > frame.length - pos) {
        throw Disconnect.BAD_REQUEST.asException();
      }
      commands.add(decodeCommand(frame, pos, (int) len));
      pos += (int) len;
    }
    return commands;
  }

  static Command decodeCommand(byte[] frame, int offset, int length) {
    io.rotor.protocol.pb.Command pb;
    try {
      pb = io.rotor.protocol.pb.Command.parser().parseFrom(frame, offset, length);
    } catch (InvalidProtocolBufferException e) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    long id = Integer.toUnsignedLong(pb.getId());
    for (CommandType type : CommandType.all()) {
      if (!pb.hasField(type.field())) {
        continue;
      }
      if (id == 0 && type != CommandType.SEND) {
        return Command.PONG;
      }
      return new Command(id, type, pb);
    }
    if (id == 0) {
      return Command.PONG;
    }
    throw Disconnect.BAD_REQUEST.asException();
  }

  @Override
  public byte[] reply(Reply reply) {
    return reply.toByteArray();
  }

  @Override
  public byte[] push(Push push) {
    return Reply.newBuilder().setPush(push).build().toByteArray();
  }

  @Override
  public byte[] ping() {
    return EMPTY;
  }

  @Override
  public byte[] frame(List<byte[]> messages, int totalBytes) {
    int size = totalBytes;
    for (byte[] m : messages) {
      size += varintSize(m.length);
    }
    byte[] frame = new byte[size];
    int pos = 0;
    for (byte[] m : messages) {
      int len = m.length;
      while ((len & ~0x7f) != 0) {
        frame[pos++] = (byte) ((len & 0x7f) | 0x80);
        len >>>= 7;
      }
      frame[pos++] = (byte) len;
      System.arraycopy(m, 0, frame, pos, m.length);
      pos += m.length;
    }
    return frame;
  }

  private static int varintSize(int len) {
    int n = 1;
    while ((len & ~0x7f) != 0) {
      len >>>= 7;
      n++;
    }
    return n;
  }

  @Override
  public String toString() {
    return "protobuf";
  }
}
