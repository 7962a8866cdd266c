package io.rotor.client;

import io.rotor.protocol.Command;
import io.rotor.protocol.pb.UnsubscribeResult;
import io.vertx.core.Future;

/** {@code unsubscribe}: always succeeds, subscribed or not (an error would make SDKs reconnect). */
final class UnsubscribeHandler implements CommandHandler {

  @Override
  public Future<UnsubscribeResult> handle(Client client, Command cmd) {
    client.subscriptions().unsubscribe(cmd.pb().getUnsubscribe().getChannel());
    return Future.succeededFuture(UnsubscribeResult.getDefaultInstance());
  }
}
