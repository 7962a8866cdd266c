package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;

/** {@code unsubscribe}: always succeeds, subscribed or not (an error would make SDKs reconnect). */
final class UnsubscribeHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    client.unsubscribe(cmd.text("channel"));
    return Future.succeededFuture(JsonCodec.object());
  }
}
