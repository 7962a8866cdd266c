package io.rotor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code channel}: channel name syntax, namespaces and their options. */
public class ChannelsOptions {

  public static final Duration DEFAULT_HISTORY_META_TTL = Duration.ofHours(720);
  public static final int DEFAULT_MAX_LENGTH = 255;

  private ChannelOptions withoutNamespace = new ChannelOptions();
  private List<NamespaceOptions> namespaces = new ArrayList<>();
  private Duration historyMetaTtl = DEFAULT_HISTORY_META_TTL;
  private int maxLength = DEFAULT_MAX_LENGTH;
  private String privatePrefix = "$";
  private String namespaceBoundary = ":";
  private String userBoundary = "#";
  private String userSeparator = ",";

  public ChannelOptions getWithoutNamespace() {
    return withoutNamespace;
  }

  public ChannelsOptions setWithoutNamespace(ChannelOptions withoutNamespace) {
    this.withoutNamespace = withoutNamespace;
    return this;
  }

  public List<NamespaceOptions> getNamespaces() {
    return namespaces;
  }

  public ChannelsOptions setNamespaces(List<NamespaceOptions> namespaces) {
    this.namespaces = namespaces;
    return this;
  }

  public Optional<NamespaceOptions> namespace(String name) {
    return namespaces.stream().filter(n -> n.getName().equals(name)).findFirst();
  }

  public Duration getHistoryMetaTtl() {
    return historyMetaTtl;
  }

  public ChannelsOptions setHistoryMetaTtl(Duration historyMetaTtl) {
    this.historyMetaTtl = historyMetaTtl;
    return this;
  }

  public int getMaxLength() {
    return maxLength;
  }

  public ChannelsOptions setMaxLength(int maxLength) {
    this.maxLength = maxLength;
    return this;
  }

  public String getPrivatePrefix() {
    return privatePrefix;
  }

  public ChannelsOptions setPrivatePrefix(String privatePrefix) {
    this.privatePrefix = privatePrefix;
    return this;
  }

  public String getNamespaceBoundary() {
    return namespaceBoundary;
  }

  public ChannelsOptions setNamespaceBoundary(String namespaceBoundary) {
    this.namespaceBoundary = namespaceBoundary;
    return this;
  }

  public String getUserBoundary() {
    return userBoundary;
  }

  public ChannelsOptions setUserBoundary(String userBoundary) {
    this.userBoundary = userBoundary;
    return this;
  }

  public String getUserSeparator() {
    return userSeparator;
  }

  public ChannelsOptions setUserSeparator(String userSeparator) {
    this.userSeparator = userSeparator;
    return this;
  }
}
