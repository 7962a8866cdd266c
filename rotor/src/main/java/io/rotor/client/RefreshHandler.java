package io.rotor.client;

import io.rotor.auth.TokenException;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.protocol.Command;
import io.rotor.protocol.pb.RefreshResult;
import io.vertx.core.Future;

/**
 * {@code refresh}: client-side connection refresh with a new token. An expired token ends the
 * connection with 3005 (the SDK reconnects with a fresh token); another user's token is invalid.
 */
final class RefreshHandler implements CommandHandler {

  @Override
  public Future<RefreshResult> handle(Client client, Command cmd) {
    String token = cmd.pb().getRefresh().getToken();
    if (token.isEmpty() || client.node().proxies().refresh() != null) {
      // An empty token, or a refresh command while the refresh proxy refreshes server-side.
      return Results.disconnect(Disconnect.BAD_REQUEST);
    }
    return client.node().tokenVerifier().verifyConnect(token)
        .recover(e -> Results.disconnect(e instanceof TokenException te && te.expired()
            ? Disconnect.EXPIRED : Disconnect.INVALID_TOKEN))
        .compose(t -> {
          if (!t.user().equals(client.user())) {
            return Results.disconnect(Disconnect.INVALID_TOKEN);
          }
          if (Results.expired(t.expireAt())) {
            return Results.error(ClientError.EXPIRED);
          }
          if (t.info() != null) {
            client.setConnInfo(t.info());
          }
          client.setExpireAt(t.expireAt());
          RefreshResult.Builder r = RefreshResult.newBuilder();
          if (t.expireAt() > 0) {
            r.setExpires(true).setTtl(Results.ttl(t.expireAt()));
          }
          return Future.succeededFuture(r.build());
        });
  }
}
