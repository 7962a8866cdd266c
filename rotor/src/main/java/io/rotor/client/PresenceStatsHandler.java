package io.rotor.client;

import io.rotor.channel.ResolvedChannel;
import io.rotor.protocol.Command;
import io.rotor.protocol.pb.PresenceStatsResult;
import io.vertx.core.Future;

/** {@code presence_stats}: client and distinct user counts. */
final class PresenceStatsHandler implements CommandHandler {

  @Override
  public Future<PresenceStatsResult> handle(Client client, Command cmd) {
    ResolvedChannel ch = PresenceHandler.checked(client, cmd.pb().getPresenceStats().getChannel());
    return client.node().presence().stats(ch.name()).map(stats -> PresenceStatsResult.newBuilder()
        .setNumClients(stats.numClients()).setNumUsers(stats.numUsers()).build());
  }
}
