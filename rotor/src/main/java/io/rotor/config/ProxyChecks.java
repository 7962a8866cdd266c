package io.rotor.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Startup checks of the proxy keys: every enabled proxy has an endpoint, every proxy name exists. */
final class ProxyChecks {

  private ProxyChecks() {
  }

  static void validate(RotorOptions o) {
    Set<String> names = new HashSet<>();
    List<NamedProxyOptions> proxies = o.getProxies();
    for (int i = 0; i < proxies.size(); i++) {
      String at = "proxies[" + i + "]";
      String name = proxies.get(i).getName();
      if (name == null || name.isEmpty() || name.equals("default")) {
        throw ConfigException.at(at + ".name", "a named proxy needs a name other than \"\" and \"default\"");
      }
      if (!names.add(name)) {
        throw ConfigException.at(at + ".name", "duplicate proxy name \"" + name + "\"");
      }
      endpoint(proxies.get(i), at);
    }
    ClientProxyOptions client = o.getClient().getProxy();
    if (client.getConnect().isEnabled()) {
      endpoint(client.getConnect(), "client.proxy.connect");
    }
    if (client.getRefresh().isEnabled()) {
      endpoint(client.getRefresh(), "client.proxy.refresh");
    }
    ChannelProxyOptions channel = o.getChannel().getProxy();
    checkChannel(o.getChannel().getWithoutNamespace(), "channel.without_namespace", channel, names);
    for (int i = 0; i < o.getChannel().getNamespaces().size(); i++) {
      checkChannel(o.getChannel().getNamespaces().get(i), "channel.namespaces[" + i + "]", channel, names);
    }
    RpcOptions rpc = o.getRpc();
    checkUse(rpc.getWithoutNamespace().isProxyEnabled(), rpc.getWithoutNamespace().getProxyName(),
        "rpc.without_namespace.proxy_name", rpc.getProxy(), "rpc.proxy", names);
    for (int i = 0; i < rpc.getNamespaces().size(); i++) {
      RpcNamespaceOptions ns = rpc.getNamespaces().get(i);
      checkUse(ns.isProxyEnabled(), ns.getProxyName(), "rpc.namespaces[" + i + "].proxy_name", rpc.getProxy(),
          "rpc.proxy", names);
    }
  }

  private static void checkChannel(ChannelOptions c, String at, ChannelProxyOptions defaults, Set<String> names) {
    checkUse(c.isSubscribeProxyEnabled(), c.getSubscribeProxyName(), at + ".subscribe_proxy_name",
        defaults.getSubscribe(), "channel.proxy.subscribe", names);
    checkUse(c.isPublishProxyEnabled(), c.getPublishProxyName(), at + ".publish_proxy_name",
        defaults.getPublish(), "channel.proxy.publish", names);
    checkUse(c.isSubRefreshProxyEnabled(), c.getSubRefreshProxyName(), at + ".sub_refresh_proxy_name",
        defaults.getSubRefresh(), "channel.proxy.sub_refresh", names);
  }

  private static void checkUse(boolean enabled, String name, String at, ProxyOptions defaults, String defaultsAt,
                               Set<String> names) {
    if (!enabled) {
      return;
    }
    if (name == null || name.isEmpty() || name.equals("default")) {
      endpoint(defaults, defaultsAt);
    } else if (!names.contains(name)) {
      throw ConfigException.at(at, "no proxy named \"" + name + "\" in proxies");
    }
  }

  private static void endpoint(ProxyOptions p, String at) {
    if (p.getEndpoint() == null || p.getEndpoint().isEmpty()) {
      throw ConfigException.at(at + ".endpoint", "an enabled proxy needs an endpoint (http://... or eventbus://address)");
    }
    if (p.getTimeout() == null || p.getTimeout().isNegative() || p.getTimeout().isZero()) {
      throw ConfigException.at(at + ".timeout", "must be positive");
    }
  }
}
