package io.rotor.config;

import java.time.Duration;

/**
 * {@code sockjs}: the SockJS endpoint at {@code /connection/sockjs} for clients behind proxies that
 * break WebSocket. The iframe-based transports (htmlfile, jsonp-polling and the iframe wrappers)
 * are off by default: they serve script to other origins and load sockjs-client from
 * {@code library_url}.
 */
public class SockJsOptions {

  public static final boolean DEFAULT_ENABLED = false;
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(25);
  public static final int DEFAULT_MAX_BYTES_STREAMING = 128 * 1024;
  public static final boolean DEFAULT_IFRAME_TRANSPORTS = false;
  public static final String DEFAULT_LIBRARY_URL = "";

  private boolean enabled = DEFAULT_ENABLED;
  private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private int maxBytesStreaming = DEFAULT_MAX_BYTES_STREAMING;
  private boolean iframeTransports = DEFAULT_IFRAME_TRANSPORTS;
  private String libraryUrl = DEFAULT_LIBRARY_URL;

  public boolean isEnabled() {
    return enabled;
  }

  public SockJsOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public Duration getSessionTimeout() {
    return sessionTimeout;
  }

  public SockJsOptions setSessionTimeout(Duration sessionTimeout) {
    this.sessionTimeout = sessionTimeout;
    return this;
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public SockJsOptions setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  public int getMaxBytesStreaming() {
    return maxBytesStreaming;
  }

  public SockJsOptions setMaxBytesStreaming(int maxBytesStreaming) {
    this.maxBytesStreaming = maxBytesStreaming;
    return this;
  }

  public boolean isIframeTransports() {
    return iframeTransports;
  }

  public SockJsOptions setIframeTransports(boolean iframeTransports) {
    this.iframeTransports = iframeTransports;
    return this;
  }

  public String getLibraryUrl() {
    return libraryUrl;
  }

  public SockJsOptions setLibraryUrl(String libraryUrl) {
    this.libraryUrl = libraryUrl;
    return this;
  }
}
