package io.rotor.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Sends the request as a {@link JsonObject} to an event-bus address and takes the reply (a
 * JsonObject, a JSON string or a Buffer holding JSON): any Vert.x service in the node or the
 * cluster can answer the hooks. Forwarded headers travel as message headers.
 */
final class EventBusProxyCaller implements ProxyCaller {

  private final Vertx vertx;
  private final String address;
  private final long timeoutMs;

  EventBusProxyCaller(Vertx vertx, String address, long timeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<JsonNode> call(ObjectNode request, MultiMap headers) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs).setHeaders(headers);
    JsonObject body = new JsonObject(Buffer.buffer(JsonCodec.toBytes(request)));
    return vertx.eventBus().request(address, body, options).compose(reply -> {
      Object answer = reply.body();
      if (answer instanceof JsonObject json) {
        return ProxyCaller.parse(json.toBuffer().getBytes());
      }
      if (answer instanceof String text) {
        return ProxyCaller.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      if (answer instanceof Buffer buffer) {
        return ProxyCaller.parse(buffer.getBytes());
      }
      return Future.failedFuture(new ProxyException("reply is not JSON: " + (answer == null ? "null" : answer.getClass().getSimpleName())));
    });
  }
}
