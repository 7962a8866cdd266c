package io.rotor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code client}: connection behaviour, limits and timers. */
public class ClientOptions {

  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
  public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(8);
  public static final int DEFAULT_QUEUE_MAX_SIZE = 1048576;
  public static final int DEFAULT_HISTORY_MAX_PUBLICATION_LIMIT = 300;
  public static final int DEFAULT_RECOVERY_MAX_PUBLICATION_LIMIT = 300;
  public static final Duration DEFAULT_STALE_CLOSE_DELAY = Duration.ofSeconds(10);
  public static final Duration DEFAULT_EXPIRED_CLOSE_DELAY = Duration.ofSeconds(25);
  public static final Duration DEFAULT_EXPIRED_SUB_CLOSE_DELAY = Duration.ofSeconds(25);
  public static final int DEFAULT_CHANNEL_LIMIT = 128;
  public static final int DEFAULT_USER_CONNECTION_LIMIT = 0;
  public static final int DEFAULT_CONNECTION_LIMIT = 0;
  public static final int DEFAULT_CONNECTION_RATE_LIMIT = 0;
  public static final Duration DEFAULT_CHANNEL_POSITION_CHECK_DELAY = Duration.ofSeconds(40);
  public static final Duration DEFAULT_PRESENCE_UPDATE_INTERVAL = Duration.ofSeconds(27);
  public static final boolean DEFAULT_ALLOW_ANONYMOUS_CONNECT_WITHOUT_TOKEN = false;
  public static final boolean DEFAULT_INSECURE = false;
  public static final boolean DEFAULT_CONNECT_INCLUDE_SERVER_TIME = false;

  /** JWT verification keys. */
  private TokenOptions token = new TokenOptions();
  private ClientProxyOptions proxy = new ClientProxyOptions();
  /** Separate keys for subscription tokens (when enabled). */
  private SubscriptionTokenOptions subscriptionToken = new SubscriptionTokenOptions();
  /**
   * Browser origins allowed to open a connection, as patterns where {@code *} matches anything;
   * empty refuses every request that carries an Origin header (non-browser clients send none).
   */
  private List<String> allowedOrigins = new ArrayList<>();
  private boolean allowAnonymousConnectWithoutToken = DEFAULT_ALLOW_ANONYMOUS_CONNECT_WITHOUT_TOKEN;
  /** Development only: anonymous connections, every channel permission passes, tokens never expire. */
  private boolean insecure = DEFAULT_INSECURE;
  private Duration pingInterval = DEFAULT_PING_INTERVAL;
  private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
  /** Bytes queued for one connection before it is disconnected as slow (3008). */
  private int queueMaxSize = DEFAULT_QUEUE_MAX_SIZE;
  private int historyMaxPublicationLimit = DEFAULT_HISTORY_MAX_PUBLICATION_LIMIT;
  private int recoveryMaxPublicationLimit = DEFAULT_RECOVERY_MAX_PUBLICATION_LIMIT;
  private Duration staleCloseDelay = DEFAULT_STALE_CLOSE_DELAY;
  private Duration expiredCloseDelay = DEFAULT_EXPIRED_CLOSE_DELAY;
  private Duration expiredSubCloseDelay = DEFAULT_EXPIRED_SUB_CLOSE_DELAY;
  private int channelLimit = DEFAULT_CHANNEL_LIMIT;
  /** Connections per user on this node; 0 is unlimited. */
  private int userConnectionLimit = DEFAULT_USER_CONNECTION_LIMIT;
  /** Open connections on this node; 0 is unlimited. Over it: HTTP 503 before the upgrade. */
  private int connectionLimit = DEFAULT_CONNECTION_LIMIT;
  /** New connections per second on this node; 0 is unlimited. Over it: HTTP 503. */
  /**
   * Adaptive admission: while an event loop runs later than this, new connections are answered
   * 503 (clients retry with backoff). Zero: off. Rotor's own key.
   */
  private java.time.Duration connectionAdmissionLag = java.time.Duration.ZERO;
  private int connectionRateLimit = DEFAULT_CONNECTION_RATE_LIMIT;
  private RateLimitOptions rateLimit = new RateLimitOptions();
  private Duration channelPositionCheckDelay = DEFAULT_CHANNEL_POSITION_CHECK_DELAY;
  private Duration presenceUpdateInterval = DEFAULT_PRESENCE_UPDATE_INTERVAL;
  private boolean connectIncludeServerTime = DEFAULT_CONNECT_INCLUDE_SERVER_TIME;

  public TokenOptions getToken() {
    return token;
  }

  public ClientOptions setToken(TokenOptions token) {
    this.token = token;
    return this;
  }

  public SubscriptionTokenOptions getSubscriptionToken() {
    return subscriptionToken;
  }

  public ClientOptions setSubscriptionToken(SubscriptionTokenOptions subscriptionToken) {
    this.subscriptionToken = subscriptionToken;
    return this;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public ClientOptions setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
    return this;
  }

  public boolean isAllowAnonymousConnectWithoutToken() {
    return allowAnonymousConnectWithoutToken;
  }

  public ClientOptions setAllowAnonymousConnectWithoutToken(boolean allowAnonymousConnectWithoutToken) {
    this.allowAnonymousConnectWithoutToken = allowAnonymousConnectWithoutToken;
    return this;
  }

  public boolean isInsecure() {
    return insecure;
  }

  public ClientOptions setInsecure(boolean insecure) {
    this.insecure = insecure;
    return this;
  }

  public Duration getPingInterval() {
    return pingInterval;
  }

  public ClientOptions setPingInterval(Duration pingInterval) {
    this.pingInterval = pingInterval;
    return this;
  }

  public Duration getPongTimeout() {
    return pongTimeout;
  }

  public ClientOptions setPongTimeout(Duration pongTimeout) {
    this.pongTimeout = pongTimeout;
    return this;
  }

  public int getQueueMaxSize() {
    return queueMaxSize;
  }

  public ClientOptions setQueueMaxSize(int queueMaxSize) {
    this.queueMaxSize = queueMaxSize;
    return this;
  }

  public int getHistoryMaxPublicationLimit() {
    return historyMaxPublicationLimit;
  }

  public ClientOptions setHistoryMaxPublicationLimit(int historyMaxPublicationLimit) {
    this.historyMaxPublicationLimit = historyMaxPublicationLimit;
    return this;
  }

  public int getRecoveryMaxPublicationLimit() {
    return recoveryMaxPublicationLimit;
  }

  public ClientOptions setRecoveryMaxPublicationLimit(int recoveryMaxPublicationLimit) {
    this.recoveryMaxPublicationLimit = recoveryMaxPublicationLimit;
    return this;
  }

  public Duration getStaleCloseDelay() {
    return staleCloseDelay;
  }

  public ClientOptions setStaleCloseDelay(Duration staleCloseDelay) {
    this.staleCloseDelay = staleCloseDelay;
    return this;
  }

  public Duration getExpiredCloseDelay() {
    return expiredCloseDelay;
  }

  public ClientOptions setExpiredCloseDelay(Duration expiredCloseDelay) {
    this.expiredCloseDelay = expiredCloseDelay;
    return this;
  }

  public Duration getExpiredSubCloseDelay() {
    return expiredSubCloseDelay;
  }

  public ClientOptions setExpiredSubCloseDelay(Duration expiredSubCloseDelay) {
    this.expiredSubCloseDelay = expiredSubCloseDelay;
    return this;
  }

  public int getChannelLimit() {
    return channelLimit;
  }

  public ClientOptions setChannelLimit(int channelLimit) {
    this.channelLimit = channelLimit;
    return this;
  }

  public int getUserConnectionLimit() {
    return userConnectionLimit;
  }

  public ClientOptions setUserConnectionLimit(int userConnectionLimit) {
    this.userConnectionLimit = userConnectionLimit;
    return this;
  }

  public int getConnectionLimit() {
    return connectionLimit;
  }

  public ClientOptions setConnectionLimit(int connectionLimit) {
    this.connectionLimit = connectionLimit;
    return this;
  }

  public int getConnectionRateLimit() {
    return connectionRateLimit;
  }

  public ClientOptions setConnectionRateLimit(int connectionRateLimit) {
    this.connectionRateLimit = connectionRateLimit;
    return this;
  }

  public RateLimitOptions getRateLimit() {
    return rateLimit;
  }

  public ClientOptions setRateLimit(RateLimitOptions rateLimit) {
    this.rateLimit = rateLimit;
    return this;
  }

  public Duration getChannelPositionCheckDelay() {
    return channelPositionCheckDelay;
  }

  public ClientOptions setChannelPositionCheckDelay(Duration channelPositionCheckDelay) {
    this.channelPositionCheckDelay = channelPositionCheckDelay;
    return this;
  }

  public Duration getPresenceUpdateInterval() {
    return presenceUpdateInterval;
  }

  public ClientOptions setPresenceUpdateInterval(Duration presenceUpdateInterval) {
    this.presenceUpdateInterval = presenceUpdateInterval;
    return this;
  }

  public boolean isConnectIncludeServerTime() {
    return connectIncludeServerTime;
  }

  public ClientOptions setConnectIncludeServerTime(boolean connectIncludeServerTime) {
    this.connectIncludeServerTime = connectIncludeServerTime;
    return this;
  }

  public ClientProxyOptions getProxy() {
    return proxy;
  }

  public ClientOptions setProxy(ClientProxyOptions proxy) {
    this.proxy = proxy;
    return this;
  }

  public java.time.Duration getConnectionAdmissionLag() {
    return connectionAdmissionLag;
  }

  public ClientOptions setConnectionAdmissionLag(java.time.Duration connectionAdmissionLag) {
    this.connectionAdmissionLag = connectionAdmissionLag;
    return this;
  }
}
