package io.rotor.config;

/** {@code rpc.without_namespace} and the options of each RPC namespace. */
public class RpcMethodOptions {

  /** Send the namespace's RPC calls to a proxy; otherwise they get 104 method not found. */
  private boolean proxyEnabled;
  /** A name from {@code proxies}; "" or "default" is {@code rpc.proxy}. */
  private String proxyName = "";

  public boolean isProxyEnabled() {
    return proxyEnabled;
  }

  public RpcMethodOptions setProxyEnabled(boolean proxyEnabled) {
    this.proxyEnabled = proxyEnabled;
    return this;
  }

  public String getProxyName() {
    return proxyName;
  }

  public RpcMethodOptions setProxyName(String proxyName) {
    this.proxyName = proxyName;
    return this;
  }
}
