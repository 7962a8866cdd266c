package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;

/**
 * One entry of {@code channel.namespaces}: channels named {@code <name>:<rest>} use these options.
 * The setters are overridden only to keep chains typed as {@code NamespaceOptions}.
 */
@JsonPropertyOrder({"name"})
public class NamespaceOptions extends ChannelOptions {

  public static final String DEFAULT_NAME = "";

  private String name = DEFAULT_NAME;

  public String getName() {
    return name;
  }

  public NamespaceOptions setName(String name) {
    this.name = name;
    return this;
  }

  @Override
  public NamespaceOptions setPresence(boolean presence) {
    super.setPresence(presence);
    return this;
  }

  @Override
  public NamespaceOptions setJoinLeave(boolean joinLeave) {
    super.setJoinLeave(joinLeave);
    return this;
  }

  @Override
  public NamespaceOptions setForcePushJoinLeave(boolean forcePushJoinLeave) {
    super.setForcePushJoinLeave(forcePushJoinLeave);
    return this;
  }

  @Override
  public NamespaceOptions setHistorySize(int historySize) {
    super.setHistorySize(historySize);
    return this;
  }

  @Override
  public NamespaceOptions setHistoryTtl(Duration historyTtl) {
    super.setHistoryTtl(historyTtl);
    return this;
  }

  @Override
  public NamespaceOptions setHistoryMetaTtl(Duration historyMetaTtl) {
    super.setHistoryMetaTtl(historyMetaTtl);
    return this;
  }

  @Override
  public NamespaceOptions setForcePositioning(boolean forcePositioning) {
    super.setForcePositioning(forcePositioning);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPositioning(boolean allowPositioning) {
    super.setAllowPositioning(allowPositioning);
    return this;
  }

  @Override
  public NamespaceOptions setForceRecovery(boolean forceRecovery) {
    super.setForceRecovery(forceRecovery);
    return this;
  }

  @Override
  public NamespaceOptions setAllowRecovery(boolean allowRecovery) {
    super.setAllowRecovery(allowRecovery);
    return this;
  }

  @Override
  public NamespaceOptions setForceRecoveryMode(String forceRecoveryMode) {
    super.setForceRecoveryMode(forceRecoveryMode);
    return this;
  }

  @Override
  public NamespaceOptions setAutoCacheRecover(boolean autoCacheRecover) {
    super.setAutoCacheRecover(autoCacheRecover);
    return this;
  }

  @Override
  public NamespaceOptions setAllowedDeltaTypes(java.util.List<String> allowedDeltaTypes) {
    super.setAllowedDeltaTypes(allowedDeltaTypes);
    return this;
  }

  @Override
  public NamespaceOptions setDeltaPublish(boolean deltaPublish) {
    super.setDeltaPublish(deltaPublish);
    return this;
  }

  @Override
  public NamespaceOptions setAllowTagsFilter(boolean allowTagsFilter) {
    super.setAllowTagsFilter(allowTagsFilter);
    return this;
  }

  @Override
  public NamespaceOptions setAllowSubscribeForClient(boolean allowSubscribeForClient) {
    super.setAllowSubscribeForClient(allowSubscribeForClient);
    return this;
  }

  @Override
  public NamespaceOptions setAllowSubscribeForAnonymous(boolean allowSubscribeForAnonymous) {
    super.setAllowSubscribeForAnonymous(allowSubscribeForAnonymous);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPublishForSubscriber(boolean allowPublishForSubscriber) {
    super.setAllowPublishForSubscriber(allowPublishForSubscriber);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPublishForClient(boolean allowPublishForClient) {
    super.setAllowPublishForClient(allowPublishForClient);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPublishForAnonymous(boolean allowPublishForAnonymous) {
    super.setAllowPublishForAnonymous(allowPublishForAnonymous);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPresenceForSubscriber(boolean allowPresenceForSubscriber) {
    super.setAllowPresenceForSubscriber(allowPresenceForSubscriber);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPresenceForClient(boolean allowPresenceForClient) {
    super.setAllowPresenceForClient(allowPresenceForClient);
    return this;
  }

  @Override
  public NamespaceOptions setAllowPresenceForAnonymous(boolean allowPresenceForAnonymous) {
    super.setAllowPresenceForAnonymous(allowPresenceForAnonymous);
    return this;
  }

  @Override
  public NamespaceOptions setAllowHistoryForSubscriber(boolean allowHistoryForSubscriber) {
    super.setAllowHistoryForSubscriber(allowHistoryForSubscriber);
    return this;
  }

  @Override
  public NamespaceOptions setAllowHistoryForClient(boolean allowHistoryForClient) {
    super.setAllowHistoryForClient(allowHistoryForClient);
    return this;
  }

  @Override
  public NamespaceOptions setAllowHistoryForAnonymous(boolean allowHistoryForAnonymous) {
    super.setAllowHistoryForAnonymous(allowHistoryForAnonymous);
    return this;
  }

  @Override
  public NamespaceOptions setAllowUserLimitedChannels(boolean allowUserLimitedChannels) {
    super.setAllowUserLimitedChannels(allowUserLimitedChannels);
    return this;
  }

  @Override
  public NamespaceOptions setChannelRegex(String channelRegex) {
    super.setChannelRegex(channelRegex);
    return this;
  }

  @Override
  public NamespaceOptions setPublicationDataFormat(String publicationDataFormat) {
    super.setPublicationDataFormat(publicationDataFormat);
    return this;
  }
}
