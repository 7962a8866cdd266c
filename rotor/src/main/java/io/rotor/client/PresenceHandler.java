package io.rotor.client;

import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.PresenceResult;
import io.vertx.core.Future;

/** {@code presence}: who is in a channel, when the namespace keeps presence and the client may ask. */
final class PresenceHandler implements CommandHandler {

  @Override
  public Future<PresenceResult> handle(Client client, Command cmd) {
    ResolvedChannel ch = checked(client, cmd.pb().getPresence().getChannel());
    return client.node().presence().presence(ch.name()).map(clients -> {
      PresenceResult.Builder result = PresenceResult.newBuilder();
      clients.forEach((id, info) -> result.putPresence(id, Protos.clientInfo(info)));
      return result.build();
    });
  }

  /** Resolves the channel and checks that presence is on (108) and allowed (103). */
  static ResolvedChannel checked(Client client, String channel) {
    ResolvedChannel ch = client.node().resolver().resolve(channel);
    if (!ch.options().isPresence()) {
      throw ClientError.NOT_AVAILABLE.asException();
    }
    boolean subscribed = client.subscribed(ch.name());
    if (!ChannelPermissions.canPresence(ch, client.user(), subscribed, SubscribeHandler.insecure(client.node()))) {
      throw ClientError.PERMISSION_DENIED.asException();
    }
    return ch;
  }
}
