package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.StreamPosition;
import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.history.HistoryFilter;

import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;

/** {@code history}: limit, since and reverse, capped at {@code client.history_max_publication_limit}. */
final class HistoryHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    ResolvedChannel ch = client.node().resolver().resolve(cmd.text("channel"));
    if (!ch.historyEnabled()) {
      return Results.error(ClientError.NOT_AVAILABLE);
    }
    boolean subscribed = client.subscriptions.containsKey(ch.name());
    if (!ChannelPermissions.canHistory(ch, client.user(), subscribed, SubscribeHandler.insecure(client.node()))) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    int max = client.node().options().getClient().getHistoryMaxPublicationLimit();
    long limit = cmd.number("limit");
    if (limit < 0 || limit > max) {
      limit = max;
    }
    JsonNode sinceNode = cmd.node("since");
    StreamPosition since = sinceNode == null ? null
        : new StreamPosition(sinceNode.path("offset").asLong(0), sinceNode.path("epoch").asText(""));
    HistoryFilter filter = new HistoryFilter(since, (int) limit, cmd.bool("reverse"));
    return client.node().history(ch, filter).map(JsonCodec::historyResult);
  }
}
