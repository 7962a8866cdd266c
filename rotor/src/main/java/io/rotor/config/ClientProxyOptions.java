package io.rotor.config;

/** {@code client.proxy}: connection-wide proxies. */
public class ClientProxyOptions {

  /** Called for a connect without a token. */
  private SwitchedProxyOptions connect = new SwitchedProxyOptions();
  /** Called when a connection expires (server-side refresh; clients send no refresh command). */
  private SwitchedProxyOptions refresh = new SwitchedProxyOptions();

  public SwitchedProxyOptions getConnect() {
    return connect;
  }

  public ClientProxyOptions setConnect(SwitchedProxyOptions connect) {
    this.connect = connect;
    return this;
  }

  public SwitchedProxyOptions getRefresh() {
    return refresh;
  }

  public ClientProxyOptions setRefresh(SwitchedProxyOptions refresh) {
    this.refresh = refresh;
    return this;
  }
}
