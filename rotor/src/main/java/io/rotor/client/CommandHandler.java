package io.rotor.client;

import com.google.protobuf.Message;
import io.rotor.protocol.Command;
import io.vertx.core.Future;

/**
 * Handles one kind of command for a client. The returned result message becomes the reply (null:
 * no reply); failing with {@code ClientError.Exception} answers an error, {@code Disconnect.Exception}
 * closes the connection.
 */
interface CommandHandler {

  Future<? extends Message> handle(Client client, Command command);
}
