package io.rotor.client;

import io.rotor.auth.SubscribeToken;
import io.rotor.auth.TokenException;
import io.rotor.channel.ChannelPermissions;
import io.rotor.channel.ResolvedChannel;
import io.rotor.channel.SubscribeOptions;
import io.rotor.config.ChannelOptions;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.core.StreamPosition;
import io.rotor.node.Node;
import io.rotor.protocol.Command;
import io.rotor.protocol.pb.SubscribeRequest;
import io.rotor.protocol.pb.SubscribeResult;
import io.vertx.core.Future;

/**
 * {@code subscribe}: permission checks in Centrifugo's order, then positioning, recovery and
 * join/leave as the namespace allows, then the subscription itself.
 */
final class SubscribeHandler implements CommandHandler {

  private static final long FLAG_REJECT_UNRECOVERED = 2;

  @Override
  public Future<SubscribeResult> handle(Client client, Command cmd) {
    SubscribeRequest req = cmd.pb().getSubscribe();
    Node node = client.node();
    if (req.getType() != 0) {
      return Results.error(ClientError.NOT_AVAILABLE);
    }
    if (!req.getDelta().isEmpty() && !ChannelOptions.DELTA_TYPES.contains(req.getDelta())) {
      return Results.disconnect(Disconnect.BAD_REQUEST); // an unknown delta type, as centrifuge answers
    }
    ResolvedChannel ch = node.resolver().resolve(req.getChannel());
    if (client.subscribed(ch.name())) {
      return Results.error(ClientError.ALREADY_SUBSCRIBED);
    }
    if (client.numSubscriptions() >= node.options().getClient().getChannelLimit()) {
      return Results.error(ClientError.LIMIT_EXCEEDED);
    }
    String token = req.getToken();
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
            return subscribe(client, req, overridden(ch, t), t);
          });
    }
    if (ch.isPrivate()) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    io.rotor.proxy.Proxy proxy = node.proxies().forChannel(io.rotor.proxy.Proxies.SUBSCRIBE, ch.options());
    if (proxy != null && !ProxyCalls.userListed(ch, client.user())) {
      return ProxyCalls.subscribe(proxy, client, req, ch).compose(r -> subscribe(client, req, overridden(ch, r), r));
    }
    if (!ChannelPermissions.canSubscribe(ch, client.user(), insecure(node))) {
      return Results.error(ClientError.PERMISSION_DENIED);
    }
    return subscribe(client, req, ch, null);
  }

  /** The channel with the token's (or the subscribe proxy's) {@code override} applied. */
  private static ResolvedChannel overridden(ResolvedChannel ch, SubscribeToken t) {
    return new ResolvedChannel(ch.name(), t.override().apply(ch.options()), ch.history(), ch.isPrivate(),
        ch.allowedUsers());
  }

  private Future<SubscribeResult> subscribe(Client client, SubscribeRequest req, ResolvedChannel ch,
      SubscribeToken token) {
    Node node = client.node();
    if (client.subscribed(ch.name())) {
      return Results.error(ClientError.ALREADY_SUBSCRIBED);
    }
    io.rotor.channel.TagsFilter tagsFilter = null;
    if (req.hasTf()) {
      // Refused as centrifuge refuses: 107 when the namespace does not allow filters or the tree is invalid.
      if (!ch.options().isAllowTagsFilter()) {
        return Results.error(ClientError.BAD_REQUEST);
      }
      try {
        tagsFilter = io.rotor.channel.TagsFilter.of(req.getTf());
      } catch (IllegalArgumentException e) {
        return Results.error(ClientError.BAD_REQUEST);
      }
    }
    SubscribeOptions options = options(client, req, ch, token, tagsFilter);
    boolean wasRecovering = req.getRecover();
    long expireAt = token == null || insecure(node) ? 0 : token.expireAt();
    Subscriptions subscriptions = client.subscriptions();
    return subscriptions.subscribe(ch, options).map(outcome -> {
      SubscribeResult.Builder reply = outcome.reply();
      if (wasRecovering) {
        reply.setWasRecovering(true);
      }
      Subscription sub = subscriptions.get(ch.name());
      if (sub != null && expireAt > 0) {
        subscriptions.setExpiry(sub, expireAt);
        reply.setExpires(true).setTtl(Results.ttl(expireAt));
      }
      client.afterReply(() -> subscriptions.activate(ch.name()));
      return reply.build();
    });
  }

  private static SubscribeOptions options(Client client, SubscribeRequest req, ResolvedChannel ch,
      SubscribeToken token, io.rotor.channel.TagsFilter tagsFilter) {
    ChannelOptions o = ch.options();
    boolean insecure = insecure(client.node());
    boolean history = ch.historyEnabled();
    boolean historyAccess = token != null || ChannelPermissions.canHistory(ch, client.user(), true, insecure);
    boolean presenceAccess = token != null || ChannelPermissions.canPresence(ch, client.user(), true, insecure);
    boolean recoverable = history
        && (o.isForceRecovery() || req.getRecoverable() && (o.isAllowRecovery() || historyAccess));
    boolean positioned = recoverable || history
        && (o.isForcePositioning() || req.getPositioned() && (o.isAllowPositioning() || historyAccess));
    boolean pushJoinLeave = o.isForcePushJoinLeave() || req.getJoinLeave() && o.isJoinLeave() && presenceAccess;
    StreamPosition since = recoverable && req.getRecover()
        ? new StreamPosition(req.getOffset(), req.getEpoch()) : null;
    boolean reject = (req.getFlag() & FLAG_REJECT_UNRECOVERED) != 0;
    boolean delta = !req.getDelta().isEmpty() && o.getAllowedDeltaTypes().contains(req.getDelta());
    return new SubscribeOptions(positioned, recoverable, pushJoinLeave, since, false, reject,
        token == null ? null : token.data(), token == null ? null : token.info(), delta, tagsFilter);
  }

  static boolean insecure(Node node) {
    return node.options().getClient().isInsecure();
  }
}
