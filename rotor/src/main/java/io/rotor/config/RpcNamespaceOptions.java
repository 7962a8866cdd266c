package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One entry of {@code rpc.namespaces}: methods named {@code <name>:<method>} use these options. */
@JsonPropertyOrder({"name"})
public class RpcNamespaceOptions extends RpcMethodOptions {

  private String name = "";

  public String getName() {
    return name;
  }

  public RpcNamespaceOptions setName(String name) {
    this.name = name;
    return this;
  }
}
