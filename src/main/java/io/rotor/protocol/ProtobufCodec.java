package io.rotor.protocol;

import io.rotor.core.Disconnect;

import io.rotor.core.ClientError;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.protocol.pb.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Protobuf encoding: every message prefixed with its length as an unsigned varint. Commands
 * are turned into the JSON tree the handlers read (field names are the JSON keys) and result trees
 * back into Reply messages, both through the generated descriptors.
 *
 * <p>{@code bytes} fields: Rotor stores publication and info payloads as JSON, shared with JSON
 * clients. Incoming bytes that parse as one JSON value become that value; anything else stays a
 * binary node, which handlers that need JSON refuse. Outgoing payloads are their raw JSON bytes.
 */
final class ProtobufCodec implements Codec {

  private static final ObjectReader JSON_VALUE = JsonCodec.MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Descriptor COMMAND = io.rotor.protocol.pb.Command.getDescriptor();
  private static final byte[] EMPTY = new byte[0];

  /**
   * The last publication push encoded on this thread: a Hub fans one Publication out to all its
   * local subscribers in one go on its event loop, so Protobuf clients share one encoding too.
   */
  private static final ThreadLocal<LastPush> LAST_PUSH = ThreadLocal.withInitial(LastPush::new);

  @Override
  public String name() {
    return "protobuf";
  }

  @Override
  public boolean binary() {
    return true;
  }

  // ---- decoding -----------------------------------------------------------------------------

  @Override
  public List<Command> decodeFrame(byte[] frame) {
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
      FieldDescriptor f = COMMAND.findFieldByName(type.key());
      if (!pb.hasField(f)) {
        continue;
      }
      if (id == 0 && type != CommandType.SEND) {
        return new Command(0, null, null);
      }
      return new Command(id, type, tree((Message) pb.getField(f)));
    }
    if (id == 0) {
      return new Command(0, null, null);
    }
    throw Disconnect.BAD_REQUEST.asException();
  }

  /** A message as the JSON tree of the same shape; only set fields appear, as in JSON. */
  static ObjectNode tree(Message m) {
    ObjectNode o = JsonCodec.object();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.isMapField()) {
        ObjectNode map = o.putObject(f.getName());
        for (Object entry : (List<?>) e.getValue()) {
          Message kv = (Message) entry;
          Descriptor d = kv.getDescriptorForType();
          FieldDescriptor value = d.findFieldByNumber(2);
          map.set(String.valueOf(kv.getField(d.findFieldByNumber(1))), value(value, kv.getField(value)));
        }
      } else if (f.isRepeated()) {
        ArrayNode arr = o.putArray(f.getName());
        for (Object v : (List<?>) e.getValue()) {
          arr.add(value(f, v));
        }
      } else {
        JsonNode v = value(f, e.getValue());
        if (v != null) {
          o.set(f.getName(), v);
        }
      }
    }
    return o;
  }

  private static JsonNode value(FieldDescriptor f, Object v) {
    switch (f.getJavaType()) {
      case MESSAGE:
        return tree((Message) v);
      case BYTE_STRING:
        return payload((ByteString) v);
      case STRING:
        return TextNode.valueOf((String) v);
      case BOOLEAN:
        return BooleanNode.valueOf((Boolean) v);
      case INT:
        int i = (Integer) v;
        return LongNode.valueOf(f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
            ? Integer.toUnsignedLong(i) : i);
      case LONG:
        return LongNode.valueOf((Long) v);
      default:
        // No float, double or enum fields in the protocol.
        throw Disconnect.BAD_REQUEST.asException();
    }
  }

  /** Payload bytes: the JSON value they hold, or a binary node when they hold none. */
  private static JsonNode payload(ByteString bytes) {
    if (bytes.isEmpty()) {
      return null;
    }
    byte[] raw = bytes.toByteArray();
    try {
      JsonNode n = JSON_VALUE.readTree(raw);
      if (n != null && !n.isMissingNode()) {
        return n;
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: a binary payload.
    }
    return BinaryNode.valueOf(raw);
  }

  // ---- encoding -----------------------------------------------------------------------------

  @Override
  public byte[] reply(long id, String key, JsonNode result) {
    Reply.Builder b = Reply.newBuilder().setId((int) id);
    FieldDescriptor f = Reply.getDescriptor().findFieldByName(key);
    b.setField(f, message(b.newBuilderForField(f), result));
    return b.build().toByteArray();
  }

  @Override
  public byte[] error(long id, ClientError error) {
    return Reply.newBuilder().setId((int) id)
        .setError(io.rotor.protocol.pb.Error.newBuilder()
            .setCode(error.code()).setMessage(error.message()).setTemporary(error.temporary()))
        .build().toByteArray();
  }

  @Override
  public byte[] push(String channel, String key, JsonNode body) {
    io.rotor.protocol.pb.Push.Builder p = io.rotor.protocol.pb.Push.newBuilder().setChannel(channel);
    FieldDescriptor f = io.rotor.protocol.pb.Push.getDescriptor().findFieldByName(key);
    p.setField(f, message(p.newBuilderForField(f), body));
    return Reply.newBuilder().setPush(p).build().toByteArray();
  }

  @Override
  public byte[] publicationPush(String channel, Publication pub, byte[] jsonFrame) {
    LastPush last = LAST_PUSH.get();
    if (last.pub != pub || !channel.equals(last.channel)) {
      last.pub = pub;
      last.channel = channel;
      last.bytes = Reply.newBuilder()
          .setPush(io.rotor.protocol.pb.Push.newBuilder().setChannel(channel).setPub(publication(pub)))
          .build().toByteArray();
    }
    return last.bytes;
  }

  /** Join and leave are rare next to publications: transcoded from the shared JSON frame. */
  @Override
  public byte[] joinLeavePush(byte[] jsonFrame) {
    JsonNode push;
    try {
      push = JsonCodec.MAPPER.readTree(jsonFrame).get("push");
    } catch (IOException e) {
      throw new IllegalStateException("unreadable join/leave frame", e);
    }
    Reply.Builder b = Reply.newBuilder();
    message(b.getPushBuilder(), push);
    return b.build().toByteArray();
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

  static io.rotor.protocol.pb.Publication publication(Publication pub) {
    io.rotor.protocol.pb.Publication.Builder b = io.rotor.protocol.pb.Publication.newBuilder();
    if (pub.data() != null) {
      b.setData(ByteString.copyFrom(pub.data()));
    }
    if (pub.info() != null) {
      b.setInfo(clientInfo(pub.info()));
    }
    if (pub.offset() > 0) {
      b.setOffset(pub.offset());
    }
    if (pub.tags() != null) {
      b.putAllTags(pub.tags());
    }
    return b.build();
  }

  static io.rotor.protocol.pb.ClientInfo clientInfo(ClientInfo info) {
    io.rotor.protocol.pb.ClientInfo.Builder b = io.rotor.protocol.pb.ClientInfo.newBuilder()
        .setUser(info.user()).setClient(info.client());
    if (info.connInfo() != null) {
      b.setConnInfo(ByteString.copyFrom(info.connInfo()));
    }
    if (info.chanInfo() != null) {
      b.setChanInfo(ByteString.copyFrom(info.chanInfo()));
    }
    return b.build();
  }

  /** Fills a message from a result tree; keys the message does not know (JSON-only extras) are skipped. */
  private static Message message(Message.Builder b, JsonNode node) {
    if (node instanceof POJONode pojo) {
      Object source = JsonCodec.valueSource(pojo.getPojo());
      if (source instanceof Publication p) {
        return publication(p);
      }
      if (source instanceof ClientInfo c) {
        return clientInfo(c);
      }
      node = JsonCodec.MAPPER.valueToTree(pojo.getPojo());
    }
    Descriptor d = b.getDescriptorForType();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      FieldDescriptor f = d.findFieldByName(e.getKey());
      JsonNode v = e.getValue();
      if (f == null || v == null || v.isNull()) {
        continue;
      }
      if (f.isMapField()) {
        for (Iterator<Map.Entry<String, JsonNode>> entries = v.fields(); entries.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = entries.next();
          Message.Builder entry = b.newBuilderForField(f);
          Descriptor ed = entry.getDescriptorForType();
          FieldDescriptor key = ed.findFieldByNumber(1);
          FieldDescriptor value = ed.findFieldByNumber(2);
          entry.setField(key, kv.getKey());
          entry.setField(value, field(entry, value, kv.getValue()));
          b.addRepeatedField(f, entry.build());
        }
      } else if (f.isRepeated()) {
        for (JsonNode el : v) {
          b.addRepeatedField(f, field(b, f, el));
        }
      } else {
        b.setField(f, field(b, f, v));
      }
    }
    return b.build();
  }

  private static Object field(Message.Builder owner, FieldDescriptor f, JsonNode v) {
    switch (f.getJavaType()) {
      case MESSAGE:
        return message(owner.newBuilderForField(f), v);
      case BYTE_STRING:
        return ByteString.copyFrom(bytes(v));
      case STRING:
        return v.asText();
      case BOOLEAN:
        return v.asBoolean();
      case INT:
        return (int) v.asLong();
      case LONG:
        return v.asLong();
      default:
        throw new IllegalArgumentException("no such field type in the protocol: " + f);
    }
  }

  /** The raw bytes of a payload value: embedded raw JSON as is, binary as is, other values as JSON. */
  private static byte[] bytes(JsonNode v) {
    if (v instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw) {
      Object s = raw.rawValue();
      if (s instanceof SerializableString ss) {
        return ss.asUnquotedUTF8();
      }
      return String.valueOf(s).getBytes(StandardCharsets.UTF_8);
    }
    if (v.isBinary()) {
      try {
        return v.binaryValue();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return JsonCodec.toBytes(v);
  }

  private static final class LastPush {
    Publication pub;
    String channel;
    byte[] bytes;
  }
}
