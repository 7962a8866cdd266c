package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;

/** {@code presence}: who is in a channel, when the namespace keeps presence and the client may ask. */
final class PresenceHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    ResolvedChannel ch = checked(client, cmd);
    return client.node().presence().presence(ch.name()).map(clients -> {
      ObjectNode result = JsonCodec.object();
      ObjectNode presence = result.putObject("presence");
      clients.forEach((id, info) -> presence.putPOJO(id, JsonCodec.clientInfoValue(info)));
      return result;
    });
  }

  /** Resolves the channel and checks that presence is on (108) and allowed (103). */
  static ResolvedChannel checked(Client client, Command cmd) {
    ResolvedChannel ch = client.node().resolver().resolve(cmd.text("channel"));
    if (!ch.options().isPresence()) {
      throw ClientError.NOT_AVAILABLE.asException();
    }
    boolean subscribed = client.subscriptions.containsKey(ch.name());
    if (!ChannelPermissions.canPresence(ch, client.user(), subscribed, SubscribeHandler.insecure(client.node()))) {
      throw ClientError.PERMISSION_DENIED.asException();
    }
    return ch;
  }
}
