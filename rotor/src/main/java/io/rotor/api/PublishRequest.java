package io.rotor.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rotor.protocol.JsonCodec;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The params of a {@code publish} call. {@link #parse} reads them from the request body with Jackson's
 * streaming parser: {@code data} is cut out of the body as it is (no tree, no re-encoding), which is
 * most of the cost of a publish when the API is called at a high rate.
 */
record PublishRequest(String channel, byte[] data, Map<String, String> tags, boolean skipHistory) {

  /**
   * The publish params of a well-formed body of the usual shape, or null when the body needs the
   * general path (a missing or mistyped field, scalar data, newlines inside data, anything odd):
   * that path gives the exact answer. Malformed JSON throws.
   */
  static PublishRequest parse(byte[] body) throws IOException {
    try (JsonParser p = JsonCodec.MAPPER.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String channel = null;
      byte[] data = null;
      Map<String, String> tags = null;
      boolean skipHistory = false;
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "channel" -> {
            if (v != JsonToken.VALUE_STRING) {
              return null;
            }
            channel = p.getText();
          }
          case "data" -> {
            if (v != JsonToken.START_OBJECT && v != JsonToken.START_ARRAY) {
              return null;
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getByteOffset();
            data = Arrays.copyOfRange(body, start, end);
            if (hasNewline(data)) {
              return null; // pretty-printed: the general path re-encodes it compactly
            }
          }
          case "skip_history" -> {
            if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
              return null;
            }
            skipHistory = v == JsonToken.VALUE_TRUE;
          }
          case "tags" -> {
            if (v != JsonToken.START_OBJECT) {
              return null;
            }
            tags = new LinkedHashMap<>();
            for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
              String name = p.currentName();
              if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
              }
              tags.put(name, p.getText());
            }
          }
          // Idempotency, versions, base64 payloads and delta are rare enough to take the general path.
          case "idempotency_key", "version", "version_epoch", "b64data", "delta" -> {
            return null;
          }
          default -> p.skipChildren();
        }
      }
      // Whatever follows the object is ignored, as the general path's readTree does.
      if (p.currentToken() != JsonToken.END_OBJECT || channel == null || data == null) {
        return null;
      }
      return new PublishRequest(channel, data, tags, skipHistory);
    }
  }

  private static boolean hasNewline(byte[] json) {
    for (byte b : json) {
      if (b == '\n' || b == '\r') {
        return true;
      }
    }
    return false;
  }
}
