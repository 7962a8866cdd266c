package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Duration;
import java.util.Set;

/**
 * Options of the channels of one namespace ({@code channel.namespaces[i]}) or of channels without
 * a namespace ({@code channel.without_namespace}), with Centrifugo v6 key names. Every boolean
 * defaults to false: a channel has no presence, no history and no client permissions until enabled.
 */
public class ChannelOptions {

  public static final int DEFAULT_HISTORY_SIZE = 0;
  public static final Duration DEFAULT_HISTORY_TTL = Duration.ZERO;
  /** Null: inherit {@code channel.history_meta_ttl}. */
  public static final Duration DEFAULT_HISTORY_META_TTL = null;
  public static final String DEFAULT_FORCE_RECOVERY_MODE = "stream";
  public static final Set<String> FORCE_RECOVERY_MODES = Set.of("stream", "cache");
  /** The only delta encoding Centrifugo v6 knows. */
  public static final Set<String> DELTA_TYPES = Set.of("fossil");
  /** Empty: no constraint on channel names. */
  public static final String DEFAULT_CHANNEL_REGEX = "";
  /** Empty: inherit {@code channel.publication_data_format} (whose empty default only refuses empty data). */
  public static final String DEFAULT_PUBLICATION_DATA_FORMAT = "";
  public static final Set<String> PUBLICATION_DATA_FORMATS = Set.of("", "json", "json_object", "binary");

  private boolean presence;
  private boolean joinLeave;
  private boolean forcePushJoinLeave;
  private int historySize = DEFAULT_HISTORY_SIZE;
  private Duration historyTtl = DEFAULT_HISTORY_TTL;
  /** Null inherits {@code channel.history_meta_ttl}; so does an explicit 0 (the loader stores it as null). */
  @JsonSetter(nulls = Nulls.SET)
  private Duration historyMetaTtl = DEFAULT_HISTORY_META_TTL;
  private boolean forcePositioning;
  private boolean allowPositioning;
  private boolean forceRecovery;
  private boolean allowRecovery;
  private String forceRecoveryMode = DEFAULT_FORCE_RECOVERY_MODE;
  /** Channel features of Centrifugo v6 (delta compression, tags filter, cache recovery). */
  private boolean autoCacheRecover;
  private java.util.List<String> allowedDeltaTypes = java.util.List.of();
  private boolean deltaPublish;
  private boolean allowTagsFilter;
  private boolean allowSubscribeForClient;
  private boolean allowSubscribeForAnonymous;
  private boolean allowPublishForSubscriber;
  private boolean allowPublishForClient;
  private boolean allowPublishForAnonymous;
  private boolean allowPresenceForSubscriber;
  private boolean allowPresenceForClient;
  private boolean allowPresenceForAnonymous;
  private boolean allowHistoryForSubscriber;
  private boolean allowHistoryForClient;
  private boolean allowHistoryForAnonymous;
  private boolean allowUserLimitedChannels;
  private String channelRegex = DEFAULT_CHANNEL_REGEX;
  private String publicationDataFormat = DEFAULT_PUBLICATION_DATA_FORMAT;
  /** Proxy decisions; a *_proxy_name picks an entry of {@code proxies}, "" the one in channel.proxy. */
  private boolean subscribeProxyEnabled;
  private String subscribeProxyName = "";
  private boolean publishProxyEnabled;
  private String publishProxyName = "";
  private boolean subRefreshProxyEnabled;
  private String subRefreshProxyName = "";

  /** {@code publication_data_format}: what publication data must be (Centrifugo v6.5). */
  public String getPublicationDataFormat() {
    return publicationDataFormat;
  }

  public ChannelOptions setPublicationDataFormat(String publicationDataFormat) {
    this.publicationDataFormat = publicationDataFormat;
    return this;
  }

  public boolean isPresence() {
    return presence;
  }

  public ChannelOptions setPresence(boolean presence) {
    this.presence = presence;
    return this;
  }

  public boolean isJoinLeave() {
    return joinLeave;
  }

  public ChannelOptions setJoinLeave(boolean joinLeave) {
    this.joinLeave = joinLeave;
    return this;
  }

  public boolean isForcePushJoinLeave() {
    return forcePushJoinLeave;
  }

  public ChannelOptions setForcePushJoinLeave(boolean forcePushJoinLeave) {
    this.forcePushJoinLeave = forcePushJoinLeave;
    return this;
  }

  public int getHistorySize() {
    return historySize;
  }

  public ChannelOptions setHistorySize(int historySize) {
    this.historySize = historySize;
    return this;
  }

  public Duration getHistoryTtl() {
    return historyTtl;
  }

  public ChannelOptions setHistoryTtl(Duration historyTtl) {
    this.historyTtl = historyTtl;
    return this;
  }

  /**
   * This namespace's own meta TTL, or null to inherit {@code channel.history_meta_ttl}; see
   * {@link ChannelsOptions#effectiveHistoryMetaTtl(ChannelOptions)}.
   */
  public Duration getHistoryMetaTtl() {
    return historyMetaTtl;
  }

  public ChannelOptions setHistoryMetaTtl(Duration historyMetaTtl) {
    this.historyMetaTtl = historyMetaTtl;
    return this;
  }

  public boolean isForcePositioning() {
    return forcePositioning;
  }

  public ChannelOptions setForcePositioning(boolean forcePositioning) {
    this.forcePositioning = forcePositioning;
    return this;
  }

  public boolean isAllowPositioning() {
    return allowPositioning;
  }

  public ChannelOptions setAllowPositioning(boolean allowPositioning) {
    this.allowPositioning = allowPositioning;
    return this;
  }

  public boolean isForceRecovery() {
    return forceRecovery;
  }

  public ChannelOptions setForceRecovery(boolean forceRecovery) {
    this.forceRecovery = forceRecovery;
    return this;
  }

  public boolean isAllowRecovery() {
    return allowRecovery;
  }

  public ChannelOptions setAllowRecovery(boolean allowRecovery) {
    this.allowRecovery = allowRecovery;
    return this;
  }

  public String getForceRecoveryMode() {
    return forceRecoveryMode;
  }

  public ChannelOptions setForceRecoveryMode(String forceRecoveryMode) {
    this.forceRecoveryMode = forceRecoveryMode;
    return this;
  }

  public boolean isAllowSubscribeForClient() {
    return allowSubscribeForClient;
  }

  public ChannelOptions setAllowSubscribeForClient(boolean allowSubscribeForClient) {
    this.allowSubscribeForClient = allowSubscribeForClient;
    return this;
  }

  public boolean isAllowSubscribeForAnonymous() {
    return allowSubscribeForAnonymous;
  }

  public ChannelOptions setAllowSubscribeForAnonymous(boolean allowSubscribeForAnonymous) {
    this.allowSubscribeForAnonymous = allowSubscribeForAnonymous;
    return this;
  }

  public boolean isAllowPublishForSubscriber() {
    return allowPublishForSubscriber;
  }

  public ChannelOptions setAllowPublishForSubscriber(boolean allowPublishForSubscriber) {
    this.allowPublishForSubscriber = allowPublishForSubscriber;
    return this;
  }

  public boolean isAllowPublishForClient() {
    return allowPublishForClient;
  }

  public ChannelOptions setAllowPublishForClient(boolean allowPublishForClient) {
    this.allowPublishForClient = allowPublishForClient;
    return this;
  }

  public boolean isAllowPublishForAnonymous() {
    return allowPublishForAnonymous;
  }

  public ChannelOptions setAllowPublishForAnonymous(boolean allowPublishForAnonymous) {
    this.allowPublishForAnonymous = allowPublishForAnonymous;
    return this;
  }

  public boolean isAllowPresenceForSubscriber() {
    return allowPresenceForSubscriber;
  }

  public ChannelOptions setAllowPresenceForSubscriber(boolean allowPresenceForSubscriber) {
    this.allowPresenceForSubscriber = allowPresenceForSubscriber;
    return this;
  }

  public boolean isAllowPresenceForClient() {
    return allowPresenceForClient;
  }

  public ChannelOptions setAllowPresenceForClient(boolean allowPresenceForClient) {
    this.allowPresenceForClient = allowPresenceForClient;
    return this;
  }

  public boolean isAllowPresenceForAnonymous() {
    return allowPresenceForAnonymous;
  }

  public ChannelOptions setAllowPresenceForAnonymous(boolean allowPresenceForAnonymous) {
    this.allowPresenceForAnonymous = allowPresenceForAnonymous;
    return this;
  }

  public boolean isAllowHistoryForSubscriber() {
    return allowHistoryForSubscriber;
  }

  public ChannelOptions setAllowHistoryForSubscriber(boolean allowHistoryForSubscriber) {
    this.allowHistoryForSubscriber = allowHistoryForSubscriber;
    return this;
  }

  public boolean isAllowHistoryForClient() {
    return allowHistoryForClient;
  }

  public ChannelOptions setAllowHistoryForClient(boolean allowHistoryForClient) {
    this.allowHistoryForClient = allowHistoryForClient;
    return this;
  }

  public boolean isAllowHistoryForAnonymous() {
    return allowHistoryForAnonymous;
  }

  public ChannelOptions setAllowHistoryForAnonymous(boolean allowHistoryForAnonymous) {
    this.allowHistoryForAnonymous = allowHistoryForAnonymous;
    return this;
  }

  public boolean isAllowUserLimitedChannels() {
    return allowUserLimitedChannels;
  }

  public ChannelOptions setAllowUserLimitedChannels(boolean allowUserLimitedChannels) {
    this.allowUserLimitedChannels = allowUserLimitedChannels;
    return this;
  }

  public String getChannelRegex() {
    return channelRegex;
  }

  public ChannelOptions setChannelRegex(String channelRegex) {
    this.channelRegex = channelRegex;
    return this;
  }

  /** History is kept only with both a size and a TTL (validation rejects one without the other). */
  public boolean historyEnabled() {
    return historySize > 0 && historyTtl != null && historyTtl.compareTo(Duration.ZERO) > 0;
  }

  public boolean isSubscribeProxyEnabled() {
    return subscribeProxyEnabled;
  }

  public ChannelOptions setSubscribeProxyEnabled(boolean subscribeProxyEnabled) {
    this.subscribeProxyEnabled = subscribeProxyEnabled;
    return this;
  }

  public String getSubscribeProxyName() {
    return subscribeProxyName;
  }

  public ChannelOptions setSubscribeProxyName(String subscribeProxyName) {
    this.subscribeProxyName = subscribeProxyName;
    return this;
  }

  public boolean isPublishProxyEnabled() {
    return publishProxyEnabled;
  }

  public ChannelOptions setPublishProxyEnabled(boolean publishProxyEnabled) {
    this.publishProxyEnabled = publishProxyEnabled;
    return this;
  }

  public String getPublishProxyName() {
    return publishProxyName;
  }

  public ChannelOptions setPublishProxyName(String publishProxyName) {
    this.publishProxyName = publishProxyName;
    return this;
  }

  public boolean isSubRefreshProxyEnabled() {
    return subRefreshProxyEnabled;
  }

  public ChannelOptions setSubRefreshProxyEnabled(boolean subRefreshProxyEnabled) {
    this.subRefreshProxyEnabled = subRefreshProxyEnabled;
    return this;
  }

  public String getSubRefreshProxyName() {
    return subRefreshProxyName;
  }

  public ChannelOptions setSubRefreshProxyName(String subRefreshProxyName) {
    this.subRefreshProxyName = subRefreshProxyName;
    return this;
  }

  /** {@code auto_cache_recover}: cache recovery on every subscribe, without the client asking. */
  public boolean isAutoCacheRecover() {
    return autoCacheRecover;
  }

  public ChannelOptions setAutoCacheRecover(boolean autoCacheRecover) {
    this.autoCacheRecover = autoCacheRecover;
    return this;
  }

  /** {@code allowed_delta_types}: delta encodings subscribers may negotiate (only {@code fossil}). */
  public java.util.List<String> getAllowedDeltaTypes() {
    return allowedDeltaTypes;
  }

  public ChannelOptions setAllowedDeltaTypes(java.util.List<String> allowedDeltaTypes) {
    this.allowedDeltaTypes = allowedDeltaTypes;
    return this;
  }

  /** {@code delta_publish}: every publication of the channel may be sent as a delta. */
  public boolean isDeltaPublish() {
    return deltaPublish;
  }

  public ChannelOptions setDeltaPublish(boolean deltaPublish) {
    this.deltaPublish = deltaPublish;
    return this;
  }

  /** {@code allow_tags_filter}: subscribers may pass a tags filter ({@code tf}). */
  public boolean isAllowTagsFilter() {
    return allowTagsFilter;
  }

  public ChannelOptions setAllowTagsFilter(boolean allowTagsFilter) {
    this.allowTagsFilter = allowTagsFilter;
    return this;
  }

  /** An independent copy (per-subscription overrides start from the namespace's options). */
  public ChannelOptions copy() {
    com.fasterxml.jackson.databind.node.ObjectNode tree = ConfigMapper.MAPPER.valueToTree(this);
    tree.remove("name");
    try {
      return ConfigMapper.MAPPER.treeToValue(tree, ChannelOptions.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
