package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One entry of {@code proxies}: a proxy that namespaces refer to by name ({@code subscribe_proxy_name}, ...). */
@JsonPropertyOrder({"name"})
public class NamedProxyOptions extends ProxyOptions {

  private String name = "";

  public String getName() {
    return name;
  }

  public NamedProxyOptions setName(String name) {
    this.name = name;
    return this;
  }
}
