package io.rotor.client;

import io.rotor.auth.ConnectToken;
import io.rotor.auth.TokenException;
import io.rotor.auth.TokenSubscription;
import io.rotor.channel.ResolvedChannel;
import io.rotor.channel.SubscribeOptions;
import io.rotor.config.ChannelOptions;
import io.rotor.config.ClientOptions;
import io.rotor.config.PersonalChannelOptions;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.core.StreamPosition;
import io.rotor.node.Node;
import io.rotor.protocol.Command;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.ConnectResult;
import io.rotor.protocol.pb.SubscribeRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code connect}: authenticates (JWT, the connect proxy, or anonymous when allowed), then
 * subscribes the server-side channels, recovering them from the positions the client sent in
 * {@code subs}.
 */
final class ConnectHandler implements CommandHandler {

  @Override
  public Future<ConnectResult> handle(Client client, Command cmd) {
    ConnectRequest req = cmd.pb().getConnect();
    Node node = client.node();
    ClientOptions options = node.options().getClient();
    String token = req.getToken();
    client.setEmulatedHeaders(Map.copyOf(req.getHeadersMap()));
    if (token.isEmpty() && node.proxies().connect() != null) {
      // No token: the backend authenticates (Centrifugo's connect proxy).
      return ProxyCalls.connect(client, req).compose(r -> connect(client, req, r.token()).map(reply -> {
        if (r.data() != null) {
          reply.setData(Protos.bytes(r.data()));
        }
        return reply.build();
      }));
    }
    Future<ConnectToken> credentials;
    if (!token.isEmpty()) {
      credentials = node.tokenVerifier().verifyConnect(token).recover(e ->
          e instanceof TokenException te && te.expired()
              ? Results.error(ClientError.TOKEN_EXPIRED)
              : Results.disconnect(Disconnect.INVALID_TOKEN));
    } else if (options.isAllowAnonymousConnectWithoutToken() || options.isInsecure()) {
      credentials = Future.succeededFuture(new ConnectToken("", 0, null, List.of()));
    } else {
      return Results.disconnect(Disconnect.BAD_REQUEST);
    }
    return credentials.compose(t -> connect(client, req, t)).map(ConnectResult.Builder::build);
  }

  private Future<ConnectResult.Builder> connect(Client client, ConnectRequest req, ConnectToken token) {
    Node node = client.node();
    ClientOptions options = node.options().getClient();
    int userLimit = options.getUserConnectionLimit();
    if (userLimit > 0 && !token.user().isEmpty() && node.userConnectionCount(token.user()) >= userLimit) {
      return Results.disconnect(Disconnect.CONNECTION_LIMIT);
    }
    if (token.subs().size() > options.getChannelLimit()) {
      return Results.disconnect(Disconnect.CHANNEL_LIMIT);
    }
    PersonalChannelOptions personal = options.getSubscribeToUserPersonalChannel();
    if (personal.isEnabled() && personal.isSingleConnection() && !token.user().isEmpty()) {
      // Centrifugo's single_connection: the user's connections (any node) are found through the
      // personal channel's presence, and closed (3504) before this one is established.
      String name = personal.channel(node.options().getChannel(), token.user());
      return node.presence().stats(name)
          .compose(s -> s.numClients() >= 1
              ? node.disconnectUserExcept(token.user(), client.id(), Disconnect.CONNECTION_LIMIT)
              : Future.<Void>succeededFuture())
          .transform(done -> done.succeeded() ? establish(client, req, token)
              : Results.disconnect(Disconnect.SERVER_ERROR));
    }
    return establish(client, req, token);
  }

  private Future<ConnectResult.Builder> establish(Client client, ConnectRequest req, ConnectToken token) {
    Node node = client.node();
    ClientOptions options = node.options().getClient();
    Map<ResolvedChannel, TokenSubscription> channels = new LinkedHashMap<>();
    token.subs().forEach((name, sub) -> {
      ResolvedChannel ch = node.resolver().resolve(name);
      channels.put(new ResolvedChannel(ch.name(), sub.apply(ch.options()), ch.history(),
          ch.isPrivate(), ch.allowedUsers()), sub);
    });
    PersonalChannelOptions personal = options.getSubscribeToUserPersonalChannel();
    if (personal.isEnabled() && !token.user().isEmpty()) {
      String name = personal.channel(node.options().getChannel(), token.user());
      if (!token.subs().containsKey(name)) {
        channels.put(node.resolver().resolve(name), TokenSubscription.DEFAULT);
      }
    }
    long expireAt = options.isInsecure() ? 0 : token.expireAt();
    node.clientNameAndVersion(client.id(), req.getName(), req.getVersion());
    client.connected(token.user(), token.info(), expireAt);
    boolean serverSideRefresh = node.proxies().refresh() != null;
    client.setMeta(token.meta());

    Subscriptions subscriptions = client.subscriptions();
    List<Future<SubscribeOutcome>> subscribed = new ArrayList<>();
    channels.forEach((ch, sub) -> {
      if (subscriptions.contains(ch.name())) {
        return;
      }
      SubscribeOptions o = serverSideOptions(ch, req.getSubsMap().get(ch.name()));
      subscribed.add(subscriptions.subscribe(ch, new SubscribeOptions(o.positioned(), o.recoverable(),
          o.pushJoinLeave(), o.recoverSince(), true, false, sub.data(), sub.info())));
    });
    return Future.all(subscribed).map(all -> {
      ConnectResult.Builder result = ConnectResult.newBuilder().setClient(client.id()).setVersion(node.version());
      if (!serverSideRefresh && expireAt > 0) {
        // With a refresh proxy the node refreshes on its own; the client is told nothing.
        result.setExpires(true).setTtl(Results.ttl(expireAt));
      }
      for (Future<SubscribeOutcome> f : subscribed) {
        SubscribeOutcome o = f.result();
        result.putSubs(o.channel(), o.reply().build());
        client.afterReply(() -> subscriptions.activate(o.channel()));
      }
      long ping = options.getPingInterval().toSeconds();
      if (ping > 0) {
        result.setPing((int) ping);
        if (!options.getPongTimeout().isZero() && !client.transport().unidirectional()) {
          result.setPong(true);
        }
      }
      String session = client.transport().session();
      if (session != null) {
        result.setSession(session);
      }
      if (client.transport().emulation()) {
        // Emulation clients send the node back with every /emulation request, to be routed here.
        result.setNode(node.id());
      }
      if (options.isConnectIncludeServerTime()) {
        result.setTime(System.currentTimeMillis());
      }
      return result;
    });
  }

  /** Server-side subscriptions use the namespace defaults (the force_* options). */
  static SubscribeOptions serverSideOptions(ResolvedChannel ch, SubscribeRequest recovery) {
    ChannelOptions o = ch.options();
    boolean history = ch.historyEnabled();
    boolean recoverable = history && o.isForceRecovery();
    boolean positioned = recoverable || history && o.isForcePositioning();
    StreamPosition since = null;
    if (recoverable && recovery != null && recovery.getRecover()) {
      since = new StreamPosition(recovery.getOffset(), recovery.getEpoch());
    }
    return new SubscribeOptions(positioned, recoverable, o.isForcePushJoinLeave(), since, true, false, null, null);
  }
}
