package io.rotor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One backend proxy endpoint (Centrifugo v6 {@code Proxy}): an HTTP URL, or
 * {@code eventbus://<address>} to have a Vert.x service answer the same JSON over the event bus.
 */
public class ProxyOptions {

  public static final String DEFAULT_ENDPOINT = "";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  /** Endpoints with this prefix name an event-bus address instead of a URL. */
  public static final String EVENT_BUS_SCHEME = "eventbus://";

  private String endpoint = DEFAULT_ENDPOINT;
  private Duration timeout = DEFAULT_TIMEOUT;
  /** Headers of the client's HTTP (upgrade) request that are forwarded to the backend. */
  private List<String> httpHeaders = new ArrayList<>();
  /** Headers from the connect command's {@code headers} map (headers emulation) that are forwarded. */
  private List<String> emulatedHeaders = new ArrayList<>();

  public String getEndpoint() {
    return endpoint;
  }

  public ProxyOptions setEndpoint(String endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public ProxyOptions setTimeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public List<String> getHttpHeaders() {
    return httpHeaders;
  }

  public ProxyOptions setHttpHeaders(List<String> httpHeaders) {
    this.httpHeaders = httpHeaders;
    return this;
  }

  public List<String> getEmulatedHeaders() {
    return emulatedHeaders;
  }

  public ProxyOptions setEmulatedHeaders(List<String> emulatedHeaders) {
    this.emulatedHeaders = emulatedHeaders;
    return this;
  }
}
