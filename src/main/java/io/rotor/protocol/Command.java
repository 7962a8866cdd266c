package io.rotor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One decoded client command. {@code type} is null for a pong (an empty command, or id 0 without
 * {@code send}). {@code request} is the request object (never null for a non-pong command).
 */
public record Command(long id, CommandType type, ObjectNode request) {

  public boolean isPong() {
    return type == null;
  }

  public String text(String field) {
    JsonNode n = request.get(field);
    return n == null || n.isNull() ? "" : n.asText();
  }

  public boolean bool(String field) {
    JsonNode n = request.get(field);
    return n != null && n.asBoolean(false);
  }

  public long number(String field) {
    JsonNode n = request.get(field);
    return n == null ? 0 : n.asLong(0);
  }

  public JsonNode node(String field) {
    JsonNode n = request.get(field);
    return n == null || n.isNull() ? null : n;
  }
}
