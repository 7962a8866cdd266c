package io.rotor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The server API on the event bus: a message {@code {"method": "publish", "params": {...}}} (a
 * JsonObject, or the same JSON as a String or Buffer) sent to the configured address (default
 * {@code rotor.api}) is answered with {@code {"result": ...}} or {@code {"error": {"code", "message"}}}
 * as a JsonObject, exactly as the HTTP API answers. In a cluster every node consumes the address,
 * so requests are spread over the nodes, and each acts on the whole cluster.
 */
public final class EventBusApi {

  private EventBusApi() {
  }

  public static Future<MessageConsumer<Object>> register(Vertx vertx, String address, ServerApi api) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, m -> handle(api, m));
    return consumer.completion().map(consumer);
  }

  private static void handle(ServerApi api, Message<Object> message) {
    JsonNode request;
    try {
      request = parse(message.body());
    } catch (Exception e) {
      message.reply(error(ClientError.BAD_REQUEST));
      return;
    }
    String method = request.path("method").asText("");
    if (!request.isObject() || method.isEmpty()) {
      message.reply(error(ClientError.BAD_REQUEST));
      return;
    }
    // As the legacy HTTP endpoint with the same body: every answer, batch too, is an envelope.
    api.call("event_bus", method, request.get("params"))
        .onComplete(done -> message.reply(new JsonObject(ServerApi.envelope(done).toString())));
  }

  private static JsonNode parse(Object body) throws java.io.IOException {
    if (body instanceof JsonObject json) {
      return JsonCodec.MAPPER.readTree(json.encode());
    }
    if (body instanceof Buffer buffer) {
      return JsonCodec.readExact(buffer.getBytes());
    }
    if (body instanceof String text) {
      return JsonCodec.readExact(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    throw new IllegalArgumentException("unsupported body");
  }

  private static JsonObject error(ClientError e) {
    return new JsonObject().put("error", new JsonObject().put("code", e.code()).put("message", e.message()));
  }
}
