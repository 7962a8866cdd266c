package io.rotor.protocol;

import io.rotor.core.Disconnect;

import io.rotor.core.ClientError;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * JSON for the server side (the HTTP and event-bus API, proxies, tokens): the shared mapper, and
 * publications and client infos as the API writes them. Raw JSON payloads ({@code data},
 * {@code conn_info}, {@code chan_info}) are embedded verbatim; payloads that hold no JSON (from a
 * Protobuf client or {@code b64data}) are written base64 in {@code b64data}, {@code b64conn_info},
 * {@code b64chan_info}, so an API answer is always valid JSON. The client protocol's own JSON is
 * {@link JsonMessages}.
 */
public final class JsonCodec {

  public static final ObjectMapper MAPPER = new ObjectMapper(factory());

  /**
   * For what carries publication payloads in (client commands, API requests): a decimal keeps every
   * digit, as Centrifugo passes payload bytes through (a double would round 0.10000000000000000555
   * and drop the zero of 1.10). Read with {@link #readExact}; fields read as numbers must be integral
   * (a decimal with a huge exponent is cheap to hold, not to convert).
   */
  private static final ObjectMapper EXACT = JsonMapper.builder(factory())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private static JsonFactory factory() {
    return JsonFactory.builder()
        // Deeply nested garbage must not cost more than a bounded parse.
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
        .build();
  }

  private JsonCodec() {
  }

  /** Parses JSON that carries payloads, decimals exact; malformed input is an IOException. */
  public static JsonNode readExact(byte[] bytes, int offset, int length) throws IOException {
    try {
      return EXACT.readTree(bytes, offset, length);
    } catch (NumberFormatException | ArithmeticException e) {
      // A decimal BigDecimal cannot hold (an exponent past int range): malformed for us.
      throw new JsonParseException(null, "number out of range: " + e.getMessage());
    }
  }

  public static JsonNode readExact(byte[] bytes) throws IOException {
    return readExact(bytes, 0, bytes.length);
  }

  public static void writePublication(JsonGenerator g, Publication pub) throws IOException {
    g.writeStartObject();
    payload(g, "data", pub.data());
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
    payload(g, "conn_info", info.connInfo());
    payload(g, "chan_info", info.chanInfo());
    g.writeEndObject();
  }

  private static void payload(JsonGenerator g, String field, byte[] bytes) throws IOException {
    if (bytes == null) {
      return;
    }
    if (JsonMessages.isJson(bytes)) {
      g.writeFieldName(field);
      g.writeRawValue(new RawJson(JsonMessages.withoutNewlines(bytes)));
    } else {
      g.writeStringField("b64" + field, java.util.Base64.getEncoder().encodeToString(bytes));
    }
  }

  /** A publication as a tree value (history results, recovered publications). */
  public static JsonSerializable publicationValue(Publication pub) {
    return new Writable(g -> writePublication(g, pub), pub);
  }

  public static JsonSerializable clientInfoValue(ClientInfo info) {
    return new Writable(g -> writeClientInfo(g, info), info);
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
