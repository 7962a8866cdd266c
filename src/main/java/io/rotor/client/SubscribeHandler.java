package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.auth.SubscribeToken;
import io.rotor.auth.TokenException;
import io.rotor.core.StreamPosition;
import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.config.ChannelOptions;
import io.rotor.node.Node;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.core.Disconnect;
import io.vertx.core.Future;

/**
 * {@code subscribe}: permission checks in Centrifugo's order, then positioning, recovery and
 * join/leave as the namespace allows, then the subscription itself.
 */
final class SubscribeHandler implements CommandHandler {

  private static final long FLAG_REJECT_UNRECOVERED = 2;

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    Node node = client.node();
    if (cmd.number("type") != 0) {
      return Results.error(ClientError.NOT_AVAILABLE);
    }
    ResolvedChannel ch = node.resolver().resolve(cmd.text("channel"));
    if (client.subscriptions.containsKey(ch.name())) {
      return Results.error(ClientError.ALREADY_SUBSCRIBED);
    }
    if (client.subscriptions.size() >= node.options().getClient().getChannelLimit()) {
      return Results.error(ClientError.LIMIT_EXCEEDED);
    }
    String token = cmd.text("token");
    if (!token.isEmpty()) {
      return node.subscriptionTokenVerifier().verifySubscribe(token)
          .recover(e -> Results.error(e instanceof TokenException te && te.expired()
              ? ClientError.TOKEN_EXPIRED : ClientError.PERMISSION_DENIED))
          .compose(t -> {
            if (!t.channel().equals(ch.name()) || !t.user().equals(client.user())) {
              return Results.disconnect(Disconnect.INVALID_TOKEN);
            }
            if (Results.expired(t.expireAt())) {
              return Results.error(ClientError.EXPIRED);
            }
            return subscribe(client, cmd, overridden(ch, t), t);
          });
    }
    if (ch.isPrivate()) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    io.rotor.proxy.Proxy proxy = node.proxies().forChannel(io.rotor.proxy.Proxies.SUBSCRIBE, ch.options());
    if (proxy != null && !ProxyCalls.userListed(ch, client.user())) {
      return ProxyCalls.subscribe(proxy, client, cmd, ch).compose(r -> subscribe(client, cmd, overridden(ch, r), r));
    }
    if (!ChannelPermissions.canSubscribe(ch, client.user(), insecure(node))) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    return subscribe(client, cmd, ch, null);
  }

  /** The channel with the token's (or the subscribe proxy's) {@code override} applied. */
  private static ResolvedChannel overridden(ResolvedChannel ch, SubscribeToken t) {
    return new ResolvedChannel(ch.name(), t.override().apply(ch.options()), ch.history(), ch.isPrivate(),
        ch.allowedUsers());
  }

  private Future<JsonNode> subscribe(Client client, Command cmd, ResolvedChannel ch, SubscribeToken token) {
    Node node = client.node();
    if (client.subscriptions.containsKey(ch.name())) {
      return Results.error(ClientError.ALREADY_SUBSCRIBED);
    }
    SubscribeOptions options = options(client, cmd, ch, token);
    boolean wasRecovering = cmd.bool("recover");
    long expireAt = token == null || insecure(node) ? 0 : token.expireAt();
    return client.subscribe(ch, options).map(outcome -> {
      var reply = outcome.reply();
      if (wasRecovering) {
        reply.put("was_recovering", true);
      }
      Subscription sub = client.subscriptions.get(ch.name());
      if (sub != null && expireAt > 0) {
        client.setSubscriptionExpiry(sub, expireAt);
        Results.expiry(reply, expireAt);
      }
      client.afterReply(() -> client.activate(ch.name()));
      return reply;
    });
  }

  private static SubscribeOptions options(Client client, Command cmd, ResolvedChannel ch, SubscribeToken token) {
    ChannelOptions o = ch.options();
    boolean insecure = insecure(client.node());
    boolean history = ch.historyEnabled();
    boolean historyAccess = token != null || ChannelPermissions.canHistory(ch, client.user(), true, insecure);
    boolean presenceAccess = token != null || ChannelPermissions.canPresence(ch, client.user(), true, insecure);
    boolean recoverable = history
        && (o.isForceRecovery() || cmd.bool("recoverable") && (o.isAllowRecovery() || historyAccess));
    boolean positioned = recoverable || history
        && (o.isForcePositioning() || cmd.bool("positioned") && (o.isAllowPositioning() || historyAccess));
    boolean pushJoinLeave = o.isForcePushJoinLeave() || cmd.bool("join_leave") && o.isJoinLeave() && presenceAccess;
    StreamPosition since = recoverable && cmd.bool("recover")
        ? new StreamPosition(cmd.number("offset"), cmd.text("epoch")) : null;
    boolean reject = (cmd.number("flag") & FLAG_REJECT_UNRECOVERED) != 0;
    return new SubscribeOptions(positioned, recoverable, pushJoinLeave, since, false, reject,
        token == null ? null : token.data(), token == null ? null : token.info());
  }

  static boolean insecure(Node node) {
    return node.options().getClient().isInsecure();
  }
}
