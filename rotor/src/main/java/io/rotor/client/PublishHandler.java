package io.rotor.client;

import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.PublicationData;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientError;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.protocol.Command;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.PublishRequest;
import io.rotor.protocol.pb.PublishResult;
import io.vertx.core.Future;

/**
 * {@code publish} from a client: the publisher's info rides along with the data. Data is bytes: JSON
 * from a JSON client, anything from a Protobuf client, checked against the channel's
 * {@code publication_data_format}.
 */
final class PublishHandler implements CommandHandler {

  @Override
  public Future<PublishResult> handle(Client client, Command cmd) {
    PublishRequest req = cmd.pb().getPublish();
    ResolvedChannel ch = client.node().resolver().resolve(req.getChannel());
    Subscription sub = client.subscriptions().get(ch.name());
    ClientInfo info = sub != null ? sub.info : client.info();
    byte[] data = Protos.payload(req.getData());
    io.rotor.proxy.Proxy proxy = client.node().proxies().forChannel(io.rotor.proxy.Proxies.PUBLISH, ch.options());
    if (proxy == null && !ChannelPermissions.canPublish(ch, client.user(), sub != null,
        SubscribeHandler.insecure(client.node()))) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    PublicationData.check(client.node().options().getChannel(), ch, data);
    if (proxy != null) {
      return ProxyCalls.publish(proxy, client, data, ch, info);
    }
    Publication pub = new Publication(0, null, data, info, null, System.currentTimeMillis());
    return client.node().publish(ch, pub).map(pos -> PublishResult.getDefaultInstance());
  }
}
