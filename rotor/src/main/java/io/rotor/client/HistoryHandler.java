package io.rotor.client;

import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientError;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.protocol.Command;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.HistoryRequest;
import io.rotor.protocol.pb.HistoryResult;
import io.vertx.core.Future;

/** {@code history}: limit, since and reverse, capped at {@code client.history_max_publication_limit}. */
final class HistoryHandler implements CommandHandler {

  @Override
  public Future<HistoryResult> handle(Client client, Command cmd) {
    HistoryRequest req = cmd.pb().getHistory();
    ResolvedChannel ch = client.node().resolver().resolve(req.getChannel());
    if (!ch.historyEnabled()) {
      return Results.error(ClientError.NOT_AVAILABLE);
    }
    boolean subscribed = client.subscribed(ch.name());
    if (!ChannelPermissions.canHistory(ch, client.user(), subscribed, SubscribeHandler.insecure(client.node()))) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    int max = client.node().options().getClient().getHistoryMaxPublicationLimit();
    long limit = req.getLimit();
    if (limit < 0 || limit > max) {
      limit = max;
    }
    StreamPosition since = req.hasSince() ? new StreamPosition(req.getSince().getOffset(), req.getSince().getEpoch()) : null;
    HistoryFilter filter = new HistoryFilter(since, (int) limit, req.getReverse());
    return client.node().history(ch, filter).map(history -> {
      HistoryResult.Builder r = HistoryResult.newBuilder()
          .setEpoch(history.top().epoch()).setOffset(history.top().offset());
      for (Publication p : history.publications()) {
        r.addPublications(Protos.publication(p));
      }
      return r.build();
    });
  }
}
