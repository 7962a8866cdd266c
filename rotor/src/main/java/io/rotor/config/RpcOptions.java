package io.rotor.config;

import java.util.ArrayList;
import java.util.List;

/** {@code rpc}: where client RPC calls go. */
public class RpcOptions {

  public static final String DEFAULT_NAMESPACE_BOUNDARY = ":";

  /** The proxy named "default" by RPC namespaces. */
  private ProxyOptions proxy = new ProxyOptions();
  private RpcMethodOptions withoutNamespace = new RpcMethodOptions();
  private List<RpcNamespaceOptions> namespaces = new ArrayList<>();
  private String namespaceBoundary = DEFAULT_NAMESPACE_BOUNDARY;

  public ProxyOptions getProxy() {
    return proxy;
  }

  public RpcOptions setProxy(ProxyOptions proxy) {
    this.proxy = proxy;
    return this;
  }

  public RpcMethodOptions getWithoutNamespace() {
    return withoutNamespace;
  }

  public RpcOptions setWithoutNamespace(RpcMethodOptions withoutNamespace) {
    this.withoutNamespace = withoutNamespace;
    return this;
  }

  public List<RpcNamespaceOptions> getNamespaces() {
    return namespaces;
  }

  public RpcOptions setNamespaces(List<RpcNamespaceOptions> namespaces) {
    this.namespaces = namespaces;
    return this;
  }

  public String getNamespaceBoundary() {
    return namespaceBoundary;
  }

  public RpcOptions setNamespaceBoundary(String namespaceBoundary) {
    this.namespaceBoundary = namespaceBoundary;
    return this;
  }
}
