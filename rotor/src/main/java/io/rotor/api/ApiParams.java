package io.rotor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.StreamPosition;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Typed access to the params of a server API call; a wrong type or a missing required field is 107. */
final class ApiParams {

  private final JsonNode params;
  private final String onceKey;
  private final String protocol;

  ApiParams(JsonNode params) {
    this(params, null, null);
  }

  /**
   * With a publish-once key (see {@link ServerApi#callOnce}) and the API the call came through (for
   * the meters; null: not recorded), both may be null.
   */
  ApiParams(JsonNode params, String onceKey, String protocol) {
    this.onceKey = onceKey;
    this.protocol = protocol;
    if (params == null || params.isNull()) {
      this.params = JsonCodec.object();
    } else if (!params.isObject()) {
      throw ClientError.BAD_REQUEST.asException();
    } else {
      this.params = params;
    }
  }

  /** The API the call came through (http, grpc, ...), or null. */
  String protocol() {
    return protocol;
  }

  /** The publish-once key of the call, or null. */
  String onceKey() {
    return onceKey;
  }

  /** The params object as given. */
  JsonNode json() {
    return params;
  }

  String required(String field) {
    String v = text(field);
    if (v.isEmpty()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return v;
  }

  String text(String field) {
    JsonNode n = params.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return n.asText();
  }

  boolean bool(String field) {
    JsonNode n = params.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return n.asBoolean();
  }

  long number(String field, long dflt) {
    JsonNode n = params.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isIntegralNumber()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return n.asLong();
  }

  JsonNode node(String field) {
    JsonNode n = params.get(field);
    return n == null || n.isNull() ? null : n;
  }

  /** Raw JSON bytes of a field, or null when absent. */
  byte[] raw(String field) {
    JsonNode n = node(field);
    return n == null ? null : JsonCodec.toBytes(n);
  }

  /**
   * A payload field as Centrifugo's API takes it: {@code b64<field>} (base64, for binary payloads)
   * when given and non-empty, else the raw JSON of {@code field}; null when neither. Bad base64 is 107.
   */
  byte[] payload(String field) {
    String b64 = text("b64" + field);
    if (b64.isEmpty()) {
      return raw(field);
    }
    try {
      return java.util.Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw ClientError.BAD_REQUEST.asException();
    }
  }

  /** An optional {@code google.protobuf.BoolValue}-style override ({@code {"value": true}}), or null. */
  Boolean boolValue(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return new ApiParams(n).bool("value");
  }

  StreamPosition position(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    ApiParams p = new ApiParams(n);
    return new StreamPosition(p.number("offset", 0), p.text("epoch"));
  }

  Map<String, String> tags() {
    JsonNode n = node("tags");
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw ClientError.BAD_REQUEST.asException();
      }
      tags.put(e.getKey(), e.getValue().asText());
    });
    return tags;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
