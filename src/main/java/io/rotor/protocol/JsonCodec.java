package io.rotor.protocol;

import io.rotor.core.Disconnect;

import io.rotor.core.ClientError;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.history.HistoryResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of protocol v2: newline-separated commands in, newline-joined replies and pushes
 * out. Raw JSON payloads ({@code data}, {@code conn_info}, {@code chan_info}) are embedded verbatim.
 */
public final class JsonCodec {

  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      // Deeply nested garbage must not cost more than a bounded parse.
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build());

  /** A server ping on a bidirectional connection: an empty Reply. */
  public static final byte[] PING = {'{', '}'};

  private JsonCodec() {
  }

  /**
   * Splits and parses one transport frame. Messages are separated by exactly one newline and at most
   * one trailing newline is tolerated; anything else, or a frame with no command, is a bad request.
   */
  public static List<Command> decodeFrame(String frame) {
    int end = frame.length();
    if (end > 0 && frame.charAt(end - 1) == '\n') {
      end--;
    }
    if (end == 0) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    List<Command> commands = new ArrayList<>(2);
    int start = 0;
    while (start <= end) {
      int nl = frame.indexOf('\n', start);
      if (nl < 0 || nl > end) {
        nl = end;
      }
      if (nl == start) {
        throw Disconnect.BAD_REQUEST.asException();
      }
      commands.add(decodeCommand(frame.substring(start, nl)));
      start = nl + 1;
    }
    return commands;
  }

  static Command decodeCommand(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    if (node == null || !node.isObject()) {
      throw Disconnect.BAD_REQUEST.asException();
    }
    long id = 0;
    JsonNode idNode = node.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.canConvertToLong() || !idNode.isIntegralNumber() || idNode.asLong() < 0 || idNode.asLong() > 0xFFFFFFFFL) {
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
        return new Command(0, null, null);
      }
      return new Command(id, type, (ObjectNode) req);
    }
    if (id == 0) {
      return new Command(0, null, null);
    }
    throw Disconnect.BAD_REQUEST.asException();
  }

  /** {@code {"id":N,"<key>":result}}. */
  public static byte[] reply(long id, String key, JsonNode result) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("id", id);
      g.writeFieldName(key);
      MAPPER.writeTree(g, result);
      g.writeEndObject();
    });
  }

  public static byte[] error(long id, ClientError error) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("id", id);
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", error.code());
      g.writeStringField("message", error.message());
      if (error.temporary()) {
        g.writeBooleanField("temporary", true);
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** {@code {"push":{"channel":c,"<key>":body}}}; channel is left out when empty. */
  public static byte[] push(String channel, String key, JsonNode body) {
    return write(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("push");
      if (!channel.isEmpty()) {
        g.writeStringField("channel", channel);
      }
      g.writeFieldName(key);
      MAPPER.writeTree(g, body);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** The fan-out frame of a publication: encoded once, written to every subscriber. */
  public static byte[] publicationPush(String channel, Publication pub) {
    return write(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("push");
      g.writeStringField("channel", channel);
      g.writeFieldName("pub");
      writePublication(g, pub);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  public static byte[] joinLeavePush(String channel, String key, ClientInfo info) {
    return write(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("push");
      g.writeStringField("channel", channel);
      g.writeObjectFieldStart(key);
      g.writeFieldName("info");
      writeClientInfo(g, info);
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  public static void writePublication(JsonGenerator g, Publication pub) throws IOException {
    g.writeStartObject();
    if (pub.data() != null) {
      g.writeFieldName("data");
      g.writeRawValue(new RawJson(pub.data()));
    }
    if (pub.info() != null) {
      g.writeFieldName("info");
      writeClientInfo(g, pub.info());
    }
    if (pub.offset() > 0) {
      g.writeNumberField("offset", pub.offset());
    }
    if (pub.tags() != null && !pub.tags().isEmpty()) {
      g.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> e : pub.tags().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  public static void writeClientInfo(JsonGenerator g, ClientInfo info) throws IOException {
    g.writeStartObject();
    g.writeStringField("user", info.user());
    g.writeStringField("client", info.client());
    if (info.connInfo() != null) {
      g.writeFieldName("conn_info");
      g.writeRawValue(new RawJson(info.connInfo()));
    }
    if (info.chanInfo() != null) {
      g.writeFieldName("chan_info");
      g.writeRawValue(new RawJson(info.chanInfo()));
    }
    g.writeEndObject();
  }

  /** A publication as a tree value (history results, recovered publications). */
  public static JsonSerializable publicationValue(Publication pub) {
    return new Writable(g -> writePublication(g, pub), pub);
  }

  public static JsonSerializable clientInfoValue(ClientInfo info) {
    return new Writable(g -> writeClientInfo(g, info), info);
  }

  /** The Publication or ClientInfo behind a tree value made here, else null (Protobuf encodes it directly). */
  static Object valueSource(Object pojo) {
    return pojo instanceof Writable w ? w.source : null;
  }

  /** {@code {"publications":[...],"epoch":e,"offset":n}}, the same for the client command and the API. */
  public static ObjectNode historyResult(HistoryResult history) {
    ObjectNode r = object();
    var arr = r.putArray("publications");
    for (Publication p : history.publications()) {
      arr.addPOJO(publicationValue(p));
    }
    r.put("epoch", history.top().epoch());
    r.put("offset", history.top().offset());
    return r;
  }

  /** Raw JSON bytes as a tree value. */
  public static RawValue raw(byte[] json) {
    return new RawValue(new RawJson(json));
  }

  /** Compact JSON bytes of a client-supplied value; compact output never contains a raw newline. */
  public static byte[] toBytes(JsonNode value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  interface GeneratorWork {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(GeneratorWork work) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256);
         JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      work.write(g);
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Writable implements JsonSerializable {
    private final GeneratorWork work;
    private final Object source;

    Writable(GeneratorWork work, Object source) {
      this.work = work;
      this.source = source;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider serializers) throws IOException {
      work.write(g);
    }

    @Override
    public void serializeWithType(JsonGenerator g, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
      work.write(g);
    }
  }
}
