package io.rotor.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.rotor.core.Disconnect;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protocol's messages in Centrifugo's JSON form, read from and written to the generated
 * {@code client.proto} classes, so both wires share one typed model.
 *
 * <p>Conventions (protocol.md §1.3): snake_case keys as in the proto; every field is left out when
 * it is 0, false, "", empty or unset, except the few {@link #ALWAYS} listed; 64-bit integers are
 * numbers; {@code bytes} fields are raw JSON values embedded verbatim (their newlines removed so
 * newline framing and SSE lines hold). Bytes that are not JSON cannot go on a JSON wire: writing
 * them fails with 3506 inappropriate protocol, as in Centrifugo.
 */
public final class JsonMessages {

  /** Fields written even when empty or zero, as Centrifugo's encoder writes them. */
  private static final Set<String> ALWAYS = Set.of(
      "centrifugal.centrifuge.protocol.ClientInfo.user",
      "centrifugal.centrifuge.protocol.ClientInfo.client",
      "centrifugal.centrifuge.protocol.PresenceResult.presence",
      "centrifugal.centrifuge.protocol.PresenceStatsResult.num_clients",
      "centrifugal.centrifuge.protocol.PresenceStatsResult.num_users",
      "centrifugal.centrifuge.protocol.HistoryResult.publications",
      "centrifugal.centrifuge.protocol.HistoryResult.epoch",
      "centrifugal.centrifuge.protocol.HistoryResult.offset",
      "centrifugal.centrifuge.protocol.Error.code",
      "centrifugal.centrifuge.protocol.Error.message");

  /** A positioned subscription always tells its stream position, offset 0 included. */
  private static final Set<String> WHEN_POSITIONED = Set.of("epoch", "offset");

  private JsonMessages() {
  }

  // ---- reading ------------------------------------------------------------------------------

  /**
   * Fills {@code b} from a JSON object of the same shape. Unknown keys are skipped (newer SDKs send
   * fields this node does not know); a value of the wrong type is a bad request (3501).
   */
  public static void read(JsonNode node, Message.Builder b) {
    if (!node.isObject()) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    Descriptor d = b.getDescriptorForType();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      FieldDescriptor f = d.findFieldByName(e.getKey());
      JsonNode v = e.getValue();
      if (f == null || v.isNull()) {
        continue;
      }
      if (f.isMapField()) {
        if (!v.isObject()) {
          throw Disconnect.BAD_REQUEST.asException();
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = v.fields(); entries.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = entries.next();
          Message.Builder entry = b.newBuilderForField(f);
          Descriptor ed = entry.getDescriptorForType();
          FieldDescriptor value = ed.findFieldByNumber(2);
          entry.setField(ed.findFieldByNumber(1), kv.getKey());
          if (!kv.getValue().isNull()) {
            entry.setField(value, value(entry, value, kv.getValue()));
          }
          b.addRepeatedField(f, entry.build());
        }
      } else if (f.isRepeated()) {
        if (!v.isArray()) {
          throw Disconnect.BAD_REQUEST.asException();
        }
        for (JsonNode el : v) {
          b.addRepeatedField(f, value(b, f, el));
        }
      } else {
        b.setField(f, value(b, f, v));
      }
    }
  }

  private static Object value(Message.Builder owner, FieldDescriptor f, JsonNode v) {
    switch (f.getJavaType()) {
      case MESSAGE: {
        Message.Builder nested = owner.newBuilderForField(f);
        read(v, nested);
        return nested.build();
      }
      case BYTE_STRING:
        // A raw JSON value: kept as its compact bytes, which never hold a raw newline.
        return ByteString.copyFrom(JsonCodec.toBytes(v));
      case STRING:
        if (!v.isTextual()) {
          throw Disconnect.BAD_REQUEST.asException();
        }
        return v.asText();
      case BOOLEAN:
        if (!v.isBoolean()) {
          throw Disconnect.BAD_REQUEST.asException();
        }
        return v.asBoolean();
      case INT:
        return (int) integral(f, v);
      case LONG:
        return integral(f, v);
      default:
        // No float, double or enum fields in the protocol.
        throw Disconnect.BAD_REQUEST.asException();
    }
  }

  private static long integral(FieldDescriptor f, JsonNode v) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    long n = v.asLong();
    boolean unsigned = f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.UINT64
        || f.getType() == FieldDescriptor.Type.FIXED32 || f.getType() == FieldDescriptor.Type.FIXED64;
    boolean narrow = f.getJavaType() == FieldDescriptor.JavaType.INT;
    if (unsigned && n < 0 || narrow && (unsigned ? n > 0xFFFFFFFFL : n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    return n;
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Writes {@code m} as a JSON object. */
  public static void write(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    Descriptor d = m.getDescriptorForType();
    boolean positioned = d == io.rotor.protocol.pb.SubscribeResult.getDescriptor()
        && ((io.rotor.protocol.pb.SubscribeResult) m).getPositioned()
        || d == io.rotor.protocol.pb.Subscribe.getDescriptor() && ((io.rotor.protocol.pb.Subscribe) m).getPositioned();
    for (FieldDescriptor f : d.getFields()) {
      boolean always = ALWAYS.contains(f.getFullName()) || positioned && WHEN_POSITIONED.contains(f.getName());
      if (f.isRepeated()) {
        int n = m.getRepeatedFieldCount(f);
        if (n == 0 && !always) {
          continue;
        }
        g.writeFieldName(f.getName());
        if (f.isMapField()) {
          writeMap(g, f, m);
        } else {
          g.writeStartArray();
          for (int i = 0; i < n; i++) {
            writeValue(g, f, m.getRepeatedField(f, i));
          }
          g.writeEndArray();
        }
        continue;
      }
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (m.hasField(f)) {
          g.writeFieldName(f.getName());
          write(g, (Message) m.getField(f));
        }
        continue;
      }
      Object v = m.getField(f);
      if (!always && isDefault(v)) {
        continue;
      }
      g.writeFieldName(f.getName());
      writeValue(g, f, v);
    }
    g.writeEndObject();
  }

  private static void writeMap(JsonGenerator g, FieldDescriptor f, Message m) throws IOException {
    g.writeStartObject();
    @SuppressWarnings("unchecked")
    List<Message> entries = (List<Message>) m.getField(f);
    for (Message entry : entries) {
      Descriptor ed = entry.getDescriptorForType();
      FieldDescriptor value = ed.findFieldByNumber(2);
      g.writeFieldName(String.valueOf(entry.getField(ed.findFieldByNumber(1))));
      writeValue(g, value, entry.getField(value));
    }
    g.writeEndObject();
  }

  private static boolean isDefault(Object v) {
    if (v instanceof Boolean b) {
      return !b;
    }
    if (v instanceof Integer i) {
      return i == 0;
    }
    if (v instanceof Long l) {
      return l == 0;
    }
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof ByteString bs) {
      return bs.isEmpty();
    }
    return v == null;
  }

  private static void writeValue(JsonGenerator g, FieldDescriptor f, Object v) throws IOException {
    switch (f.getJavaType()) {
      case MESSAGE:
        write(g, (Message) v);
        break;
      case BYTE_STRING:
        writeRaw(g, ((ByteString) v).toByteArray());
        break;
      case STRING:
        g.writeString((String) v);
        break;
      case BOOLEAN:
        g.writeBoolean((Boolean) v);
        break;
      case INT: {
        int i = (Integer) v;
        boolean unsigned = f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32;
        g.writeNumber(unsigned ? Integer.toUnsignedLong(i) : i);
        break;
      }
      case LONG: {
        long l = (Long) v;
        boolean unsigned = f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64;
        if (unsigned && l < 0) {
          g.writeNumber(new BigInteger(Long.toUnsignedString(l)));
        } else {
          g.writeNumber(l);
        }
        break;
      }
      default:
        throw new IllegalArgumentException("no such field type in the protocol: " + f);
    }
  }

  /**
   * Embeds payload bytes as a raw JSON value: 3506 when they hold no single JSON value, newlines
   * removed (a newline outside a JSON string is whitespace; inside one it is always escaped).
   */
  public static void writeRaw(JsonGenerator g, byte[] bytes) throws IOException {
    if (!isJson(bytes)) {
      throw Disconnect.INAPPROPRIATE_PROTOCOL.asException();
    }
    g.writeRawValue(new RawJson(withoutNewlines(bytes)));
  }

  /** True when the bytes hold exactly one JSON value. */
  public static boolean isJson(byte[] bytes) {
    if (bytes.length == 0) {
      return false;
    }
    try (JsonParser p = JsonCodec.MAPPER.getFactory().createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public static byte[] withoutNewlines(byte[] bytes) {
    int newlines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        newlines++;
      }
    }
    if (newlines == 0) {
      return bytes;
    }
    byte[] out = new byte[bytes.length - newlines];
    int i = 0;
    for (byte b : bytes) {
      if (b != '\n') {
        out[i++] = b;
      }
    }
    return out;
  }
}
