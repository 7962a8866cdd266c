package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.auth.TokenException;
import io.rotor.protocol.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.Disconnect;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;

/** {@code sub_refresh}: a new subscription token for a subscribed channel. */
final class SubRefreshHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    String channel = cmd.text("channel");
    if (!client.subscriptions.containsKey(channel)) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    String token = cmd.text("token");
    if (token.isEmpty()) {
      return Results.error(ClientError.BAD_REQUEST);
    }
    return client.node().tokenVerifier().verifySubscribe(token)
        .recover(e -> Results.error(e instanceof TokenException te && te.expired()
            ? ClientError.TOKEN_EXPIRED : ClientError.PERMISSION_DENIED))
        .compose(t -> {
          if (!t.channel().equals(channel) || !t.user().equals(client.user())) {
            return Results.disconnect(Disconnect.INVALID_TOKEN);
          }
          if (Results.expired(t.expireAt())) {
            return Results.error(ClientError.EXPIRED);
          }
          return Future.succeededFuture(Results.expiry(JsonCodec.object(), t.expireAt()));
        });
  }
}
