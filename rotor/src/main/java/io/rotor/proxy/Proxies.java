package io.rotor.proxy;

import io.rotor.config.ChannelOptions;
import io.rotor.config.NamedProxyOptions;
import io.rotor.config.ProxyOptions;
import io.rotor.config.RotorOptions;
import io.rotor.config.RpcMethodOptions;
import io.rotor.config.RpcNamespaceOptions;
import io.rotor.config.RpcOptions;
import io.rotor.config.SwitchedProxyOptions;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxies of a node, looked up the way Centrifugo v6 does: {@code client.proxy.connect/refresh}
 * when enabled; per namespace {@code <kind>_proxy_enabled} with {@code <kind>_proxy_name} naming an
 * entry of {@code proxies} ("" or "default": {@code channel.proxy.<kind>}); RPC by the namespace
 * before {@code rpc.namespace_boundary} in the method.
 */
public final class Proxies {

  public static final String SUBSCRIBE = "subscribe";
  public static final String PUBLISH = "publish";
  public static final String SUB_REFRESH = "sub_refresh";

  private final Vertx vertx;
  // Kept in a field for the node's lifetime: Vert.x 5 clients may be collected when unreferenced.
  private final WebClient http;
  private final RotorOptions options;
  /** Every channel and RPC proxy by "kind/name", built once: lookups on the event loop only read. */
  private final Map<String, Proxy> byKindAndName;
  private volatile ProxyObserver observer = ProxyObserver.NONE;
  private final Proxy connect;
  private final Proxy refresh;
  /** In-process hooks by kind (connect, subscribe, publish, rpc): where no proxy is configured, they decide. */
  private volatile Map<String, Proxy> hooks = Map.of();

  public Proxies(Vertx vertx, RotorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
    this.connect = switched("connect", options.getClient().getProxy().getConnect());
    this.refresh = switched("refresh", options.getClient().getProxy().getRefresh());
    Map<String, Proxy> all = new HashMap<>();
    all.put(SUBSCRIBE + "/default", build(SUBSCRIBE, "default", options.getChannel().getProxy().getSubscribe()));
    all.put(PUBLISH + "/default", build(PUBLISH, "default", options.getChannel().getProxy().getPublish()));
    all.put(SUB_REFRESH + "/default", build(SUB_REFRESH, "default", options.getChannel().getProxy().getSubRefresh()));
    all.put("rpc/default", build("rpc", "default", options.getRpc().getProxy()));
    for (NamedProxyOptions p : options.getProxies()) {
      for (String kind : new String[] {SUBSCRIBE, PUBLISH, SUB_REFRESH, "rpc"}) {
        all.put(kind + "/" + p.getName(), build(kind, p.getName(), p));
      }
    }
    this.byKindAndName = Map.copyOf(all);
  }

  public void observer(ProxyObserver observer) {
    this.observer = observer;
  }

  /**
   * Java hooks of an embedding application, by kind ({@code connect}, {@code subscribe},
   * {@code publish}, {@code rpc}), answering with a proxy's JSON semantics. A hook decides where no
   * proxy of its kind is configured: the connect hook when {@code client.proxy.connect} is off, a
   * channel hook in namespaces without {@code <kind>_proxy_enabled}, the RPC hook for methods whose
   * namespace has no proxy. Set once before the node serves clients.
   */
  public void hooks(Map<String, ProxyCaller> callers) {
    Map<String, Proxy> built = new HashMap<>();
    callers.forEach((kind, caller) -> built.put(kind, new Proxy(kind, "hook", hookOptions(kind), caller,
        (k, nanos, failed) -> observer.observe(k, nanos, failed))));
    this.hooks = Map.copyOf(built);
  }

  /** A hook answers within the timeout of its kind's configured proxy options, like a backend. */
  private ProxyOptions hookOptions(String kind) {
    return switch (kind) {
      case "connect" -> options.getClient().getProxy().getConnect();
      case SUBSCRIBE -> options.getChannel().getProxy().getSubscribe();
      case PUBLISH -> options.getChannel().getProxy().getPublish();
      default -> options.getRpc().getProxy();
    };
  }

  /** The connect proxy (or hook), or null when {@code client.proxy.connect} is off and no hook is set. */
  public Proxy connect() {
    return connect != null ? connect : hooks.get("connect");
  }

  /** The refresh proxy, or null when {@code client.proxy.refresh} is off. */
  public Proxy refresh() {
    return refresh;
  }

  /** The subscribe, publish or sub_refresh proxy of a channel's namespace, or null when it has none. */
  public Proxy forChannel(String kind, ChannelOptions ch) {
    boolean enabled;
    String name;
    switch (kind) {
      case SUBSCRIBE -> {
        enabled = ch.isSubscribeProxyEnabled();
        name = ch.getSubscribeProxyName();
      }
      case PUBLISH -> {
        enabled = ch.isPublishProxyEnabled();
        name = ch.getPublishProxyName();
      }
      case SUB_REFRESH -> {
        enabled = ch.isSubRefreshProxyEnabled();
        name = ch.getSubRefreshProxyName();
      }
      default -> throw new IllegalArgumentException(kind);
    }
    if (!enabled) {
      return hooks.get(kind);
    }
    return named(kind, name);
  }

  /**
   * True when some RPC proxy is on ({@code rpc.without_namespace} or a namespace): without one the
   * node has no RPC handler and, as Centrifugo, answers every RPC 108 not available.
   */
  public boolean rpcEnabled() {
    RpcOptions rpc = options.getRpc();
    return rpc.getWithoutNamespace().isProxyEnabled()
        || rpc.getNamespaces().stream().anyMatch(RpcMethodOptions::isProxyEnabled);
  }

  /** The proxy for an RPC method, or null (the client gets 104 method not found). */
  public Proxy rpc(String method) {
    RpcOptions rpc = options.getRpc();
    RpcMethodOptions ns = rpc.getWithoutNamespace();
    int at = method.indexOf(rpc.getNamespaceBoundary());
    if (at > 0 && !rpc.getNamespaceBoundary().isEmpty()) {
      String prefix = method.substring(0, at);
      ns = null;
      for (RpcNamespaceOptions candidate : rpc.getNamespaces()) {
        if (candidate.getName().equals(prefix)) {
          ns = candidate;
          break;
        }
      }
      if (ns == null) {
        return hooks.get("rpc");
      }
    }
    return ns.isProxyEnabled() ? named("rpc", ns.getProxyName()) : hooks.get("rpc");
  }

  private Proxy switched(String kind, SwitchedProxyOptions o) {
    return o.isEnabled() ? build(kind, "default", o) : null;
  }

  private Proxy named(String kind, String name) {
    return byKindAndName.get(kind + "/" + (name == null || name.isEmpty() ? "default" : name));
  }

  private Proxy build(String kind, String name, ProxyOptions o) {
    long timeout = Math.max(1, o.getTimeout().toMillis());
    String endpoint = o.getEndpoint();
    ProxyCaller caller = endpoint.startsWith(ProxyOptions.EVENT_BUS_SCHEME)
        ? new EventBusProxyCaller(vertx, endpoint.substring(ProxyOptions.EVENT_BUS_SCHEME.length()), timeout)
        : new HttpProxyCaller(http, endpoint, timeout);
    return new Proxy(kind, name, o, caller, (k, nanos, failed) -> observer.observe(k, nanos, failed));
  }
}
