package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;

/** {@code publish} from a client: the publisher's info rides along with the data. */
final class PublishHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    ResolvedChannel ch = client.node().resolver().resolve(cmd.text("channel"));
    Subscription sub = client.subscriptions.get(ch.name());
    io.rotor.proxy.Proxy proxy = client.node().proxies().forChannel(io.rotor.proxy.Proxies.PUBLISH, ch.options());
    if (proxy != null) {
      return ProxyCalls.publish(proxy, client, cmd, ch, sub != null ? sub.info : client.info());
    }
    if (!ChannelPermissions.canPublish(ch, client.user(), sub != null, SubscribeHandler.insecure(client.node()))) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    JsonNode data = cmd.node("data");
    // Binary (non-JSON) data from a Protobuf client: publications are stored and fanned out as JSON.
    if (data == null || data.isBinary()) {
      return Results.error(ClientError.BAD_REQUEST);
    }
    ClientInfo info = sub != null ? sub.info : client.info();
    Publication pub = new Publication(0, null, JsonCodec.toBytes(data), info, null, System.currentTimeMillis());
    return client.node().publish(ch, pub).map(pos -> JsonCodec.object());
  }
}
