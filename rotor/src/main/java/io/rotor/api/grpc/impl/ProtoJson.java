package io.rotor.api.grpc.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Converts between the gRPC messages and the HTTP API's JSON, through the schema's descriptors: the
 * field names of Centrifugo's api.proto are the JSON keys of its HTTP API, and its {@code bytes}
 * fields ({@code data}, {@code info}, ...) are the HTTP API's raw JSON values. So one conversion
 * serves every method, and a gRPC call means exactly what the same HTTP call means.
 */
public final class ProtoJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ProtoJson() {
  }

  /** The HTTP API params of a request; fields left at their default are absent, as in proto3 JSON. */
  public static ObjectNode toJson(Message message) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor fd = e.getKey();
      Object value = e.getValue();
      if (fd.isMapField()) {
        ObjectNode map = out.putObject(fd.getName());
        Descriptor entry = fd.getMessageType();
        FieldDescriptor k = entry.findFieldByNumber(1);
        FieldDescriptor v = entry.findFieldByNumber(2);
        for (Object item : (List<?>) value) {
          Message m = (Message) item;
          map.set(String.valueOf(m.getField(k)), scalar(v, m.getField(v)));
        }
      } else if (fd.isRepeated()) {
        ArrayNode arr = out.putArray(fd.getName());
        for (Object item : (List<?>) value) {
          arr.add(scalar(fd, item));
        }
      } else {
        out.set(fd.getName(), scalar(fd, value));
      }
    }
    return out;
  }

  private static JsonNode scalar(FieldDescriptor fd, Object value) {
    switch (fd.getJavaType()) {
      case MESSAGE:
        return toJson((Message) value);
      case BYTE_STRING:
        return rawJson((ByteString) value);
      case STRING:
        return NODES.textNode((String) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case INT:
        return fd.getType() == FieldDescriptor.Type.UINT32 || fd.getType() == FieldDescriptor.Type.FIXED32
            ? NODES.numberNode(Integer.toUnsignedLong((Integer) value)) : NODES.numberNode((Integer) value);
      case LONG:
        long l = (Long) value;
        boolean unsigned = fd.getType() == FieldDescriptor.Type.UINT64 || fd.getType() == FieldDescriptor.Type.FIXED64;
        return unsigned && l < 0 ? NODES.numberNode(new BigInteger(Long.toUnsignedString(l))) : NODES.numberNode(l);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      case FLOAT:
        return NODES.numberNode((Float) value);
      default:
        throw ClientError.BAD_REQUEST.asException();
    }
  }

  /** A bytes field holds JSON text, as the HTTP API's value would be; anything else is a bad request (107). */
  private static JsonNode rawJson(ByteString bytes) {
    try {
      JsonNode n = JsonCodec.MAPPER.readTree(bytes.newInput());
      if (n == null) {
        throw ClientError.BAD_REQUEST.asException();
      }
      return n;
    } catch (IOException e) {
      throw ClientError.BAD_REQUEST.asException();
    }
  }

  /** Fills a builder from an HTTP API result; keys the schema lacks are skipped. */
  public static void fromJson(JsonNode json, Message.Builder builder) {
    Descriptor d = builder.getDescriptorForType();
    json.fields().forEachRemaining(e -> {
      FieldDescriptor fd = d.findFieldByName(e.getKey());
      JsonNode value = e.getValue();
      if (fd == null || value == null || value.isNull()) {
        return;
      }
      if (fd.isMapField()) {
        Descriptor entry = fd.getMessageType();
        FieldDescriptor v = entry.findFieldByNumber(2);
        value.fields().forEachRemaining(kv -> {
          Message.Builder eb = builder.newBuilderForField(fd);
          eb.setField(entry.findFieldByNumber(1), kv.getKey());
          eb.setField(v, fromScalar(v, kv.getValue(), eb));
          builder.addRepeatedField(fd, eb.build());
        });
      } else if (fd.isRepeated()) {
        for (JsonNode item : value) {
          builder.addRepeatedField(fd, fromScalar(fd, item, builder));
        }
      } else {
        builder.setField(fd, fromScalar(fd, value, builder));
      }
    });
  }

  private static Object fromScalar(FieldDescriptor fd, JsonNode value, Message.Builder parent) {
    switch (fd.getJavaType()) {
      case MESSAGE:
        Message.Builder b = parent.newBuilderForField(fd);
        fromJson(value, b);
        return b.build();
      case BYTE_STRING:
        return ByteString.copyFrom(JsonCodec.toBytes(value));
      case STRING:
        return value.asText();
      case BOOLEAN:
        return value.asBoolean();
      case INT:
        return (int) value.asLong();
      case LONG:
        return value.isBigInteger() ? value.bigIntegerValue().longValue() : value.asLong();
      case DOUBLE:
        return value.asDouble();
      case FLOAT:
        return (float) value.asDouble();
      default:
        throw new IllegalArgumentException("unsupported field " + fd.getFullName());
    }
  }
}
