package io.rotor.examples;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Example: a Vert.x service that publishes to Rotor over the clustered event bus. Deploy it in a
 * Vert.x instance clustered with the Rotor nodes (same Hazelcast cluster name and members) and
 * call {@link #publish}; Rotor answers exactly as its HTTP API does. See docs/event-bus-api.md.
 */
public class EventBusPublisher extends VerticleBase {

  private final String address;
  private final String channel;

  public EventBusPublisher(String address, String channel) {
    this.address = address;
    this.channel = channel;
  }

  /** Publishes {@code data}; the reply is {@code {"result": {"offset", "epoch"}}} or {@code {"error": ...}}. */
  public Future<JsonObject> publish(JsonObject data) {
    JsonObject request = new JsonObject()
        .put("method", "publish")
        .put("params", new JsonObject().put("channel", channel).put("data", data));
    return vertx.eventBus().<JsonObject>request(address, request).map(reply -> reply.body());
  }
}
