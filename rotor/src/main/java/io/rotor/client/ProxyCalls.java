package io.rotor.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.auth.ConnectToken;
import io.rotor.auth.SubscribeToken;
import io.rotor.channel.PublicationData;
import io.rotor.channel.ResolvedChannel;
import io.rotor.core.ClientInfo;
import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.PublishResult;
import io.rotor.protocol.pb.SubscribeRequest;
import io.rotor.proxy.Proxies;
import io.rotor.proxy.Proxy;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the backend proxies: what each command sends to its proxy and how the answer
 * turns into the same values a token would give (so the handlers go on as for a token). Payloads
 * travel as raw JSON, or as {@code b64*} fields when they are binary.
 */
final class ProxyCalls {

  /** How long to wait before asking a failing refresh proxy again. */
  static final long REFRESH_RETRY_MS = 10_000;

  private ProxyCalls() {
  }

  /** What the connect proxy decided: the credentials, and {@code data} for the connect result. */
  record ConnectResult(ConnectToken token, byte[] data) {
  }

  static Future<ConnectResult> connect(Client client, ConnectRequest req) {
    ObjectNode request = Proxy.request(client, false);
    request.put("name", req.getName());
    request.put("version", req.getVersion());
    Proxy.putPayload(request, "data", Protos.payload(req.getData()));
    return client.node().proxies().connect().call(client, request).map(r -> {
      List<String> channels = new ArrayList<>();
      r.path("channels").forEach(c -> channels.add(c.asText()));
      ConnectToken token = new ConnectToken(r.path("user").asText(""), r.path("expire_at").asLong(0),
          Proxy.raw(r, "info"), channels);
      return new ConnectResult(token, Proxy.raw(r, "data"));
    });
  }

  /** Server-side connection refresh at expiry: extend, update info, or close with 3005. */
  static void refresh(Client client) {
    client.node().proxies().refresh().call(client, Proxy.request(client, true)).onComplete(ar -> {
      if (!client.connected()) {
        return;
      }
      if (ar.failed()) {
        client.node().vertx().setTimer(REFRESH_RETRY_MS, t -> {
          if (client.connected()) {
            refresh(client);
          }
        });
        return;
      }
      ObjectNode r = ar.result();
      long expireAt = r.path("expire_at").asLong(0);
      if (r.path("expired").asBoolean(false) || Results.expired(expireAt)) {
        client.close(Disconnect.EXPIRED);
        return;
      }
      byte[] info = Proxy.raw(r, "info");
      if (info != null) {
        client.setConnInfo(info);
      }
      client.setExpireAt(expireAt);
    });
  }

  /** A user-limited channel that lists the user is allowed without asking the backend. */
  static boolean userListed(ResolvedChannel ch, String user) {
    return ch.userLimited() && ch.options().isAllowUserLimitedChannels() && !user.isEmpty()
        && ch.allowedUsers().contains(user);
  }

  /** Asks the subscribe proxy; its answer becomes what a subscription token would have carried. */
  static Future<SubscribeToken> subscribe(Proxy proxy, Client client, SubscribeRequest req, ResolvedChannel ch) {
    ObjectNode request = Proxy.request(client, true).put("channel", ch.name());
    if (!req.getToken().isEmpty()) {
      request.put("token", req.getToken());
    }
    Proxy.putPayload(request, "data", Protos.payload(req.getData()));
    return proxy.call(client, request).map(r -> {
      // An expire_at makes the subscription expire like a token's would (Subscriptions.setExpiry).
      long expireAt = r.path("expire_at").asLong(0);
      return new SubscribeToken(client.user(), ch.name(), expireAt, Proxy.raw(r, "info"), Proxy.raw(r, "data"),
          io.rotor.auth.ChannelOverride.fromProxy(r.get("override")));
    });
  }

  /**
   * At a subscription's expiry, the channel's sub_refresh proxy (if any) may extend it; when it says
   * expired, fails, or answers an expired time, the subscription expires (2501, the SDK resubscribes
   * and asks the subscribe proxy again). Returns false when the channel has no sub_refresh proxy.
   */
  static boolean refreshAtExpiry(Client client, Subscription sub) {
    Proxy refresh = client.node().proxies().forChannel(Proxies.SUB_REFRESH, sub.channel.options());
    if (refresh == null) {
      return false;
    }
    Subscriptions subscriptions = client.subscriptions();
    refresh.call(client, Proxy.request(client, true).put("channel", sub.name())).onComplete(ar -> {
      if (subscriptions.get(sub.name()) != sub) {
        return;
      }
      long next = ar.succeeded() ? ar.result().path("expire_at").asLong(0) : 0;
      if (ar.succeeded() && !ar.result().path("expired").asBoolean(false) && !Results.expired(next)) {
        subscriptions.setExpiry(sub, next);
      } else {
        subscriptions.expire(sub);
      }
    });
    return true;
  }

  /** Asks the publish proxy; it may replace the data ({@code data} or {@code b64data}) or skip history. */
  static Future<PublishResult> publish(Proxy proxy, Client client, byte[] data, ResolvedChannel ch, ClientInfo info) {
    ObjectNode request = Proxy.request(client, true).put("channel", ch.name());
    Proxy.putPayload(request, "data", data);
    return proxy.call(client, request).compose(r -> {
      byte[] replaced = Proxy.raw(r, "data");
      byte[] out = replaced != null ? replaced : data;
      PublicationData.check(client.node().options().getChannel(), ch, out);
      Publication pub = new Publication(0, null, out, info, null, System.currentTimeMillis());
      // skip_history: this publication reaches subscribers but is not kept (protocol.md §5.5).
      ResolvedChannel target = r.path("skip_history").asBoolean(false) ? ch.withoutHistory() : ch;
      return client.node().publish(target, pub).map(pos -> PublishResult.getDefaultInstance());
    });
  }
}
