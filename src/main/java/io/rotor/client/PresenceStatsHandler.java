package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.channel.ResolvedChannel;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;

/** {@code presence_stats}: client and distinct user counts. */
final class PresenceStatsHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    ResolvedChannel ch = PresenceHandler.checked(client, cmd);
    return client.node().presence().stats(ch.name()).map(stats ->
        JsonCodec.object().put("num_clients", stats.numClients()).put("num_users", stats.numUsers()));
  }
}
