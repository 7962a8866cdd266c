package io.rotor.config;

/**
 * {@code channel.proxy}: the proxies named "default" by the namespaces'
 * {@code subscribe_proxy_enabled}, {@code publish_proxy_enabled} and {@code sub_refresh_proxy_enabled}.
 */
public class ChannelProxyOptions {

  private ProxyOptions subscribe = new ProxyOptions();
  private ProxyOptions publish = new ProxyOptions();
  private ProxyOptions subRefresh = new ProxyOptions();

  public ProxyOptions getSubscribe() {
    return subscribe;
  }

  public ChannelProxyOptions setSubscribe(ProxyOptions subscribe) {
    this.subscribe = subscribe;
    return this;
  }

  public ProxyOptions getPublish() {
    return publish;
  }

  public ChannelProxyOptions setPublish(ProxyOptions publish) {
    this.publish = publish;
    return this;
  }

  public ProxyOptions getSubRefresh() {
    return subRefresh;
  }

  public ChannelProxyOptions setSubRefresh(ProxyOptions subRefresh) {
    this.subRefresh = subRefresh;
    return this;
  }
}
