package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.protocol.Command;
import io.vertx.core.Future;

/**
 * Handles one kind of command for a client. The returned result becomes the reply (null: no reply);
 * failing with {@code ClientError.Exception} answers an error, {@code Disconnect.Exception} closes.
 */
interface CommandHandler {

  Future<JsonNode> handle(Client client, Command command);
}
