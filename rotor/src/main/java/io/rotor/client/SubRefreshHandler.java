package io.rotor.client;

import io.rotor.auth.TokenException;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.protocol.Command;
import io.rotor.protocol.pb.SubRefreshRequest;
import io.rotor.protocol.pb.SubRefreshResult;
import io.vertx.core.Future;

/**
 * {@code sub_refresh}: a new subscription token for a subscribed channel. Only a valid, unexpired
 * token moves the expiry: an expired one is answered with 109 and the old expiry stays, so the
 * subscription still ends when it runs out (Centrifugo once cleared the expiry here instead).
 */
final class SubRefreshHandler implements CommandHandler {

  @Override
  public Future<SubRefreshResult> handle(Client client, Command cmd) {
    SubRefreshRequest req = cmd.pb().getSubRefresh();
    String channel = req.getChannel();
    if (!client.subscribed(channel)) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    String token = req.getToken();
    if (token.isEmpty()) {
      return Results.error(ClientError.BAD_REQUEST);
    }
    return client.node().subscriptionTokenVerifier().verifySubscribe(token)
        .recover(e -> Results.error(e instanceof TokenException te && te.expired()
            ? ClientError.TOKEN_EXPIRED : ClientError.PERMISSION_DENIED))
        .compose(t -> {
          if (!t.channel().equals(channel) || !t.user().equals(client.user())) {
            return Results.disconnect(Disconnect.INVALID_TOKEN);
          }
          if (Results.expired(t.expireAt())) {
            return Results.error(ClientError.EXPIRED);
          }
          Subscription sub = client.subscriptions().get(channel);
          if (sub == null) {
            // Unsubscribed while the token was being verified.
            return Results.error(ClientError.PERMISSION_DENIED);
          }
          client.subscriptions().setExpiry(sub, t.expireAt());
          SubRefreshResult.Builder r = SubRefreshResult.newBuilder();
          if (t.expireAt() > 0) {
            r.setExpires(true).setTtl(Results.ttl(t.expireAt()));
          }
          return Future.succeededFuture(r.build());
        });
  }
}
