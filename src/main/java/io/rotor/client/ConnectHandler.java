package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.auth.ConnectToken;
import io.rotor.auth.TokenException;
import io.rotor.auth.TokenSubscription;
import io.rotor.core.StreamPosition;
import io.rotor.channel.ResolvedChannel;
import io.rotor.config.ChannelOptions;
import io.rotor.config.ClientOptions;
import io.rotor.node.Node;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code connect}: authenticates (JWT, or anonymous when allowed), then subscribes the server-side
 * channels of the token, recovering them from the positions the client sent in {@code subs}.
 */
final class ConnectHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    Node node = client.node();
    ClientOptions options = node.options().getClient();
    String token = cmd.text("token");
    client.emulatedHeaders = ProxyCalls.emulatedHeaders(cmd);
    Future<ConnectToken> credentials;
    if (token.isEmpty() && node.proxies().connect() != null) {
      // No token: the backend authenticates (Centrifugo's connect proxy).
      return ProxyCalls.connect(client, cmd).compose(r -> connect(client, cmd, r.token())
          .map(reply -> r.withData((ObjectNode) reply)));
    }
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
    return credentials.compose(t -> connect(client, cmd, t));
  }

  private Future<JsonNode> connect(Client client, Command cmd, ConnectToken token) {
    Node node = client.node();
    ClientOptions options = node.options().getClient();
    int userLimit = options.getUserConnectionLimit();
    if (userLimit > 0 && !token.user().isEmpty() && node.userConnectionCount(token.user()) >= userLimit) {
      return Results.disconnect(Disconnect.CONNECTION_LIMIT);
    }
    if (token.subs().size() > options.getChannelLimit()) {
      return Results.disconnect(Disconnect.CHANNEL_LIMIT);
    }
    Map<ResolvedChannel, TokenSubscription> channels = new LinkedHashMap<>();
    token.subs().forEach((name, sub) -> {
      ResolvedChannel ch = node.resolver().resolve(name);
      channels.put(new ResolvedChannel(ch.name(), sub.override().apply(ch.options()), ch.history(),
          ch.isPrivate(), ch.allowedUsers()), sub);
    });
    long expireAt = options.isInsecure() ? 0 : token.expireAt();
    client.connected(token.user(), token.info(), expireAt);
    boolean serverSideRefresh = node.proxies().refresh() != null;
    client.meta = token.meta();

    JsonNode recoverySubs = cmd.node("subs");
    List<Future<SubscribeOutcome>> subscribed = new ArrayList<>();
    channels.forEach((ch, sub) -> {
      if (client.subscriptions.containsKey(ch.name())) {
        return;
      }
      JsonNode recovery = recoverySubs == null ? null : recoverySubs.get(ch.name());
      SubscribeOptions o = serverSideOptions(ch, recovery);
      subscribed.add(client.subscribe(ch, new SubscribeOptions(o.positioned(), o.recoverable(), o.pushJoinLeave(),
          o.recoverSince(), true, false, sub.data(), sub.info())));
    });
    return Future.all(subscribed).map(all -> {
      ObjectNode result = JsonCodec.object();
      result.put("client", client.id());
      result.put("version", node.version());
      if (!serverSideRefresh) {
        // With a refresh proxy the node refreshes on its own; the client is told nothing.
        Results.expiry(result, expireAt);
      }
      if (!subscribed.isEmpty()) {
        ObjectNode subs = result.putObject("subs");
        for (Future<SubscribeOutcome> f : subscribed) {
          SubscribeOutcome o = f.result();
          subs.set(o.channel(), o.reply());
          client.afterReply(() -> client.activate(o.channel()));
        }
      }
      long ping = options.getPingInterval().toSeconds();
      if (ping > 0) {
        result.put("ping", ping);
        if (!options.getPongTimeout().isZero() && !client.transport().unidirectional()) {
          result.put("pong", true);
        }
      }
      String session = client.transport().session();
      if (session != null) {
        result.put("session", session);
      }
      if (client.transport().emulation()) {
        // Emulation clients send the node back with every /emulation request, to be routed here.
        result.put("node", node.id());
      }
      if (options.isConnectIncludeServerTime()) {
        result.put("time", System.currentTimeMillis());
      }
      return result;
    });
  }

  /** Server-side subscriptions use the namespace defaults (the force_* options). */
  static SubscribeOptions serverSideOptions(ResolvedChannel ch, JsonNode recovery) {
    ChannelOptions o = ch.options();
    boolean history = ch.historyEnabled();
    boolean recoverable = history && o.isForceRecovery();
    boolean positioned = recoverable || history && o.isForcePositioning();
    StreamPosition since = null;
    if (recoverable && recovery != null && recovery.path("recover").asBoolean(false)) {
      since = new StreamPosition(recovery.path("offset").asLong(0), recovery.path("epoch").asText(""));
    }
    return new SubscribeOptions(positioned, recoverable, o.isForcePushJoinLeave(), since, true, false, null, null);
  }
}
