package io.rotor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.history.HistoryResult;
import io.rotor.presence.PresenceStats;
import io.rotor.core.StreamPosition;
import io.rotor.channel.ResolvedChannel;
import io.rotor.node.Connection;
import io.rotor.channel.SubscribeOptions;
import io.rotor.config.ChannelOptions;
import io.rotor.auth.ChannelOverride;
import io.rotor.channel.PublicationData;
import io.rotor.history.HistoryFilter;
import io.rotor.history.PublishConditions;
import io.rotor.node.Node;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;
import io.rotor.core.Unsubscribe;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Centrifugo server API as one method table: the HTTP endpoint (and later the event bus) call
 * {@link #call}. A result is the method's JSON result; a failure with {@link ClientError.Exception}
 * is an API error ({@code {"error":{...}}}, still HTTP 200).
 */
public final class ServerApi {

  private final Node node;
  private final Map<String, Function<ApiParams, Future<JsonNode>>> methods = new HashMap<>();
  /** The methods as this node alone runs them; {@link #wrap} may make some act on every node. */
  private final Map<String, Function<ApiParams, Future<JsonNode>>> localMethods = new HashMap<>();
  /** Methods of the admin page (and of other nodes asking this one): not offered as server API. */
  private final Set<String> internal = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ServerApi(Node node) {
    this.node = node;
    methods.put("publish", this::publish);
    methods.put("broadcast", this::broadcast);
    methods.put("subscribe", this::subscribe);
    methods.put("unsubscribe", this::unsubscribe);
    methods.put("disconnect", this::disconnect);
    methods.put("refresh", this::refresh);
    methods.put("presence", this::presence);
    methods.put("presence_stats", this::presenceStats);
    methods.put("history", this::history);
    methods.put("history_remove", this::historyRemove);
    methods.put("channels", this::channels);
    methods.put("info", this::info);
    methods.put("batch", this::batch);
    localMethods.putAll(methods);
  }

  /**
   * Replaces a method by a wrapper around its local form; a cluster uses it so that, e.g.,
   * {@code disconnect} reaches other nodes and {@code info} lists them. Batch sees wrapped methods.
   */
  public void wrap(String method, BiFunction<JsonNode, Function<JsonNode, Future<JsonNode>>, Future<JsonNode>> wrapper) {
    methods.put(method, p -> wrapper.apply(p.json(), params -> callLocal(method, params)));
  }

  /**
   * Adds a method the admin page calls through {@link #callInternal} and other nodes through
   * {@link #callLocal}; {@link #call} (the HTTP, gRPC and event-bus APIs) does not offer it.
   */
  public void addInternal(String method, Function<JsonNode, Future<JsonNode>> local) {
    internal.add(method);
    Function<ApiParams, Future<JsonNode>> m = p -> local.apply(p.json());
    localMethods.put(method, m);
    methods.putIfAbsent(method, m); // a cluster's wrapper may be there already
  }

  /** Runs a method on this node only (what other nodes of a cluster ask for). */
  public Future<JsonNode> callLocal(String method, JsonNode params) {
    return invoke(null, method, localMethods.get(method), params, null);
  }

  /** Runs a method added with {@link #addInternal} (on every node of a cluster when wrapped so). */
  public Future<JsonNode> callInternal(String method, JsonNode params) {
    return invoke(null, method, internal.contains(method) ? methods.get(method) : null, params, null);
  }

  /**
   * Runs a method; a {@code publish} with a key (and no {@code idempotency_key} of its own) is an
   * idempotent publish under that key: a repeat within 5 minutes returns the first one's result and
   * delivers nothing. What the consumers use so a command re-run after a crash is harmless.
   */
  public Future<JsonNode> callOnce(String method, JsonNode params, String key) {
    return invoke("consuming", method, hasMethod(method) ? methods.get(method) : null, params, key);
  }

  public boolean hasMethod(String method) {
    return methods.containsKey(method) && !internal.contains(method);
  }

  /** Runs a method; unknown methods fail with 104. Not recorded in the API meters (the admin page's calls). */
  public Future<JsonNode> call(String method, JsonNode params) {
    return call(null, method, params);
  }

  /**
   * Runs a method that came through the API {@code protocol} ({@code http}, {@code grpc},
   * {@code event_bus}): its duration and error code go to Centrifugo's API meters, as do those of a
   * batch's commands.
   */
  public Future<JsonNode> call(String protocol, String method, JsonNode params) {
    return invoke(protocol, method, hasMethod(method) ? methods.get(method) : null, params, null);
  }

  /** {@code m} with {@code params} (and a publish-once key, or null); no such method: 104. */
  private Future<JsonNode> invoke(String protocol, String method, Function<ApiParams, Future<JsonNode>> m,
      JsonNode params, String onceKey) {
    if (m == null) {
      return Future.failedFuture(ClientError.METHOD_NOT_FOUND.asException());
    }
    long start = System.nanoTime();
    Future<JsonNode> result;
    try {
      result = m.apply(new ApiParams(params, onceKey, protocol));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return protocol == null ? result : metered(protocol, method, start, result);
  }

  /** {@code call}'s outcome, its duration since {@code start} and error code recorded in the API meters. */
  private <T> Future<T> metered(String protocol, String method, long start, Future<T> call) {
    return call.andThen(done -> node.metrics().apiCommand(protocol, method, System.nanoTime() - start,
        done.succeeded() ? -1 : errorOf(done.cause()).code()));
  }

  /** {@code {"result":...}} or {@code {"error":...}}. */
  public static ObjectNode envelope(AsyncResult<JsonNode> done) {
    ObjectNode out = JsonCodec.object();
    if (done.succeeded()) {
      out.set("result", done.result());
    } else {
      out.set("error", errorNode(done.cause()));
    }
    return out;
  }

  private static ClientError errorOf(Throwable cause) {
    return cause instanceof ClientError.Exception ce ? ce.error() : ClientError.INTERNAL;
  }

  static ObjectNode errorNode(Throwable cause) {
    ClientError e = errorOf(cause);
    return JsonCodec.object().put("code", e.code()).put("message", e.message());
  }

  // ---- publishing -------------------------------------------------------------------------

  private Future<JsonNode> publish(ApiParams p) {
    return publishTo(p.required("channel"), p);
  }

  private Future<JsonNode> publishTo(String channel, ApiParams p) {
    ResolvedChannel ch = node.resolver().resolve(channel);
    byte[] data = p.payload("data");
    if (data == null) {
      throw ClientError.BAD_REQUEST.asException();
    }
    PublicationData.check(node.options().getChannel(), ch, data);
    // A consumer re-running a command after a crash passes its own key (see callOnce) when the
    // command has none: either way a repeat is answered, not delivered again.
    String key = p.text("idempotency_key");
    if (key.isEmpty() && p.onceKey() != null) {
      key = p.onceKey();
    }
    PublishConditions conditions = PublishConditions.of(key, version(p), p.text("version_epoch"));
    return publish(ch, data, p.tags(), p.bool("skip_history"), p.bool("delta"), conditions).map(ServerApi::positionResult);
  }

  /** {@code version} is a uint64 in Centrifugo's schema; a negative one is a bad request. */
  private static long version(ApiParams p) {
    long v = p.number("version", 0);
    if (v < 0) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return v;
  }

  /** The result of a publish: {@code {}} without history, else the publication's position. */
  static JsonNode positionResult(StreamPosition pos) {
    ObjectNode r = JsonCodec.object();
    if (pos.offset() > 0) {
      r.put("offset", pos.offset()).put("epoch", pos.epoch());
    }
    return r;
  }

  /**
   * {@code publish} with typed values (the embedding API: no JSON on the way); a bad channel or
   * missing data fails the future.
   */
  public Future<StreamPosition> publish(String channel, byte[] data, Map<String, String> tags, boolean skipHistory) {
    try {
      if (data == null) {
        throw ClientError.BAD_REQUEST.asException();
      }
      ResolvedChannel ch = node.resolver().resolve(channel);
      PublicationData.check(node.options().getChannel(), ch, data);
      return publish(ch, data, tags, skipHistory, false, PublishConditions.NONE);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** An HTTP API publish whose params were read from the body by {@link PublishRequest}. */
  Future<StreamPosition> publish(PublishRequest r) {
    long start = System.nanoTime();
    Future<StreamPosition> published;
    try {
      ResolvedChannel ch = node.resolver().resolve(r.channel());
      PublicationData.check(node.options().getChannel(), ch, r.data());
      published = publish(ch, r.data(), r.tags(), r.skipHistory(), false, PublishConditions.NONE);
    } catch (RuntimeException e) {
      published = Future.failedFuture(e);
    }
    return metered("http", "publish", start, published);
  }

  private Future<StreamPosition> publish(ResolvedChannel ch, byte[] data, Map<String, String> tags, boolean skipHistory,
      boolean delta, PublishConditions conditions) {
    Publication pub = new Publication(0, null, data, null, tags, System.currentTimeMillis(), delta);
    return node.publish(skipHistory && ch.historyEnabled() ? ch.withoutHistory() : ch, pub, conditions);
  }

  private Future<JsonNode> broadcast(ApiParams p) {
    JsonNode channels = p.node("channels");
    if (channels == null || !channels.isArray() || channels.isEmpty()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    List<Future<JsonNode>> each = new ArrayList<>();
    for (JsonNode c : channels) {
      if (!c.isTextual() || c.asText().isEmpty()) {
        throw ClientError.BAD_REQUEST.asException();
      }
      Future<JsonNode> f;
      try {
        f = publishTo(c.asText(), p);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      each.add(f);
    }
    return Future.join(each).transform(v -> {
      ObjectNode r = JsonCodec.object();
      ArrayNode responses = r.putArray("responses");
      each.forEach(f -> responses.add(envelope(f)));
      return Future.succeededFuture(r);
    });
  }

  // ---- acting on connections ------------------------------------------------------------

  private Future<JsonNode> subscribe(ApiParams p) {
    String user = p.required("user");
    ResolvedChannel resolved = node.resolver().resolve(p.required("channel"));
    // override: presence, join_leave, force_push_join_leave, force_positioning, force_recovery for this one subscription
    ChannelOverride override = new ChannelOverride(overrideFlag(p, "presence"), overrideFlag(p, "join_leave"),
        overrideFlag(p, "force_push_join_leave"), overrideFlag(p, "force_positioning"), overrideFlag(p, "force_recovery"));
    ResolvedChannel ch = new ResolvedChannel(resolved.name(), override.apply(resolved.options()), resolved.history(),
        resolved.isPrivate(), resolved.allowedUsers());
    ChannelOptions o = ch.options();
    boolean recoverable = ch.historyEnabled() && o.isForceRecovery();
    boolean positioned = recoverable || ch.historyEnabled() && o.isForcePositioning();
    StreamPosition since = recoverable ? p.position("recover_since") : null;
    long expireAt = p.number("expire_at", 0);
    SubscribeOptions options = new SubscribeOptions(positioned, recoverable, o.isForcePushJoinLeave(), since,
        true, false, p.payload("data"), p.payload("info"));
    return onClients(user, p.text("client"), Set.of(), c -> c.serverSubscribe(ch, options, expireAt));
  }

  /** One field of the subscribe {@code override} ({@code {"presence": {"value": true}}}), or null. */
  private static Boolean overrideFlag(ApiParams p, String field) {
    JsonNode o = p.node("override");
    if (o == null) {
      return null;
    }
    return new ApiParams(o).boolValue(field);
  }

  private Future<JsonNode> unsubscribe(ApiParams p) {
    String user = p.required("user");
    String channel = p.required("channel");
    return onClients(user, p.text("client"), Set.of(), c -> {
      c.serverUnsubscribe(channel, Unsubscribe.SERVER);
      return Future.succeededFuture();
    });
  }

  private Future<JsonNode> disconnect(ApiParams p) {
    String user = p.required("user");
    Disconnect d = Disconnect.FORCE_NO_RECONNECT;
    JsonNode dn = p.node("disconnect");
    if (dn != null) {
      ApiParams dp = new ApiParams(dn);
      long code = dp.number("code", 0);
      if (code != 0) {
        if (code < 3000 || code > 4999) {
          throw ClientError.BAD_REQUEST.asException();
        }
        d = new Disconnect((int) code, dp.text("reason"));
      }
    }
    Set<String> whitelist = new HashSet<>();
    JsonNode wl = p.node("whitelist");
    if (wl != null && wl.isArray()) {
      wl.forEach(n -> whitelist.add(n.asText()));
    }
    Disconnect reason = d;
    return onClients(user, p.text("client"), whitelist, c -> {
      c.close(reason);
      return Future.succeededFuture();
    });
  }

  private Future<JsonNode> refresh(ApiParams p) {
    String user = p.required("user");
    boolean expired = p.bool("expired");
    long expireAt = p.number("expire_at", 0);
    byte[] info = p.raw("info");
    return onClients(user, p.text("client"), Set.of(), c -> {
      c.serverRefresh(expired, expireAt, info);
      return Future.succeededFuture();
    });
  }

  /** Runs an action on each matching connection of a user, on that connection's event loop. */
  private Future<JsonNode> onClients(String user, String clientId, Set<String> except, Function<Connection, Future<Void>> action) {
    Collection<Connection> targets = node.clientsOf(user);
    List<Future<Void>> done = new ArrayList<>();
    for (Connection c : targets) {
      if ((!clientId.isEmpty() && !clientId.equals(c.id())) || except.contains(c.id())) {
        continue;
      }
      Promise<Void> promise = Promise.promise();
      c.context().runOnContext(v -> action.apply(c).onComplete(promise));
      done.add(promise.future());
    }
    return Future.join(done).map(v -> JsonCodec.object());
  }

  // ---- reading state ----------------------------------------------------------------------

  private Future<JsonNode> presence(ApiParams p) {
    return presence(p.required("channel")).map(clients -> {
      ObjectNode r = JsonCodec.object();
      ObjectNode presence = r.putObject("presence");
      clients.forEach((id, info) -> presence.putPOJO(id, JsonCodec.clientInfoValue(info)));
      return r;
    });
  }

  /** {@code presence}, typed: the channel's clients by id; 108 when the namespace has no presence. */
  public Future<Map<String, ClientInfo>> presence(String channel) {
    return resolved(channel, this::presenceChannel).compose(ch -> node.presence().presence(ch.name()));
  }

  private Future<JsonNode> presenceStats(ApiParams p) {
    return presenceStats(p.required("channel")).map(s ->
        JsonCodec.object().put("num_clients", s.numClients()).put("num_users", s.numUsers()));
  }

  /** {@code presence_stats}, typed. */
  public Future<PresenceStats> presenceStats(String channel) {
    return resolved(channel, this::presenceChannel).compose(ch -> node.presence().stats(ch.name()));
  }

  private ResolvedChannel presenceChannel(String channel) {
    ResolvedChannel ch = node.resolver().resolve(channel);
    if (!ch.options().isPresence()) {
      throw ClientError.NOT_AVAILABLE.asException();
    }
    return ch;
  }

  private Future<JsonNode> history(ApiParams p) {
    long limit = p.number("limit", 0);
    HistoryFilter filter = new HistoryFilter(p.position("since"),
        limit < 0 ? HistoryFilter.NO_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE), p.bool("reverse"));
    return history(p.required("channel"), filter).map(JsonCodec::historyResult);
  }

  /** {@code history}, typed: 108 when the channel keeps no history, 112 for a {@code since} of another epoch. */
  public Future<HistoryResult> history(String channel, HistoryFilter filter) {
    return resolved(channel, this::historyChannel).compose(ch -> node.history(ch, filter));
  }

  private Future<JsonNode> historyRemove(ApiParams p) {
    return historyRemove(p.required("channel")).map(v -> JsonCodec.object());
  }

  /** {@code history_remove}, typed. */
  public Future<Void> historyRemove(String channel) {
    return resolved(channel, this::historyChannel).compose(node::removeHistory);
  }

  private ResolvedChannel historyChannel(String channel) {
    ResolvedChannel ch = node.resolver().resolve(channel);
    if (!ch.historyEnabled()) {
      throw ClientError.NOT_AVAILABLE.asException();
    }
    return ch;
  }

  /** A channel checked by {@code check}; its error (102, 108 ...) fails the future instead of throwing. */
  private static Future<ResolvedChannel> resolved(String channel, Function<String, ResolvedChannel> check) {
    try {
      return Future.succeededFuture(check.apply(channel));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonNode> channels(ApiParams p) {
    String pattern = p.text("pattern");
    Pattern glob = pattern.isEmpty() ? null : Glob.compile(pattern);
    ObjectNode r = JsonCodec.object();
    ObjectNode channels = r.putObject("channels");
    node.channelCounts().forEach((name, n) -> {
      if (glob == null || glob.matcher(name).matches()) {
        channels.putObject(name).put("num_clients", n);
      }
    });
    return Future.succeededFuture(r);
  }

  private Future<JsonNode> info(ApiParams p) {
    ObjectNode r = JsonCodec.object();
    ObjectNode n = r.putArray("nodes").addObject();
    n.put("uid", node.id());
    n.put("name", node.id());
    n.put("version", node.version());
    n.put("num_clients", node.numClients());
    n.put("num_users", node.numUsers());
    n.put("num_channels", node.numChannels());
    n.put("num_subs", node.numSubscriptions());
    n.put("uptime", node.uptimeSeconds());
    return Future.succeededFuture(r);
  }

  private Future<JsonNode> batch(ApiParams p) {
    JsonNode commands = p.node("commands");
    if (commands == null || !commands.isArray()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    boolean parallel = p.bool("parallel");
    List<String> names = new ArrayList<>();
    List<JsonNode> params = new ArrayList<>();
    for (JsonNode c : commands) {
      if (!c.isObject() || c.size() != 1) {
        throw ClientError.BAD_REQUEST.asException();
      }
      String name = c.fieldNames().next();
      if ("batch".equals(name)) {
        throw ClientError.BAD_REQUEST.asException();
      }
      names.add(name);
      params.add(c.get(name));
    }
    List<Future<JsonNode>> results = new ArrayList<>();
    Future<JsonNode> previous = Future.succeededFuture();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      JsonNode prm = params.get(i);
      // Sequential unless asked otherwise: each command starts when the one before it ended.
      Future<JsonNode> f = parallel ? call(p.protocol(), name, prm) : previous.transform(x -> call(p.protocol(), name, prm));
      results.add(f);
      previous = f;
    }
    return Future.join(results).transform(v -> {
      ObjectNode r = JsonCodec.object();
      ArrayNode replies = r.putArray("replies");
      for (int i = 0; i < results.size(); i++) {
        Future<JsonNode> f = results.get(i);
        ObjectNode reply = replies.addObject();
        if (f.succeeded()) {
          reply.set(names.get(i), f.result());
        } else {
          reply.set("error", errorNode(f.cause()));
        }
      }
      return Future.succeededFuture((JsonNode) r);
    });
  }

}
