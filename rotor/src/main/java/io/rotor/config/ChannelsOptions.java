package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code channel}: channel name syntax, the options of channels without namespace, and the namespaces. */
public class ChannelsOptions {

  public static final Duration DEFAULT_HISTORY_META_TTL = Duration.ofHours(720);
  public static final int DEFAULT_MAX_LENGTH = 255;
  public static final String DEFAULT_PRIVATE_PREFIX = "$";
  public static final String DEFAULT_NAMESPACE_BOUNDARY = ":";
  public static final String DEFAULT_USER_BOUNDARY = "#";
  public static final String DEFAULT_USER_SEPARATOR = ",";

  private ChannelOptions withoutNamespace = new ChannelOptions();
  private List<NamespaceOptions> namespaces = new ArrayList<>();
  private Duration historyMetaTtl = DEFAULT_HISTORY_META_TTL;
  private int maxLength = DEFAULT_MAX_LENGTH;
  private String privatePrefix = DEFAULT_PRIVATE_PREFIX;
  private String namespaceBoundary = DEFAULT_NAMESPACE_BOUNDARY;
  private String userBoundary = DEFAULT_USER_BOUNDARY;
  private String userSeparator = DEFAULT_USER_SEPARATOR;
  private ChannelProxyOptions proxy = new ChannelProxyOptions();
  private String publicationDataFormat = ChannelOptions.DEFAULT_PUBLICATION_DATA_FORMAT;

  /** Name lookup for {@link #namespace}; rebuilt when the list is replaced or changes size. */
  @JsonIgnore
  private transient volatile NamespaceIndex index;

  private record NamespaceIndex(List<NamespaceOptions> source, int size, Map<String, NamespaceOptions> byName) {
  }

  /** {@code channel.publication_data_format}: the default of every namespace that sets none. */
  public String getPublicationDataFormat() {
    return publicationDataFormat;
  }

  public ChannelsOptions setPublicationDataFormat(String publicationDataFormat) {
    this.publicationDataFormat = publicationDataFormat;
    return this;
  }

  /** The data format that applies to channels with these options: their own, else the global one. */
  public String effectivePublicationDataFormat(ChannelOptions options) {
    String own = options.getPublicationDataFormat();
    return own == null || own.isEmpty() ? publicationDataFormat : own;
  }

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
    this.index = null;
    return this;
  }

  /** The namespace with this name, if configured (the first one, should names repeat before validation). */
  public Optional<NamespaceOptions> namespace(String name) {
    List<NamespaceOptions> list = namespaces;
    if (list == null || name == null) {
      return Optional.empty();
    }
    NamespaceIndex i = index;
    if (i == null || i.source() != list || i.size() != list.size()) {
      Map<String, NamespaceOptions> byName = new HashMap<>();
      for (NamespaceOptions ns : list) {
        if (ns != null && ns.getName() != null) {
          byName.putIfAbsent(ns.getName(), ns);
        }
      }
      i = new NamespaceIndex(list, list.size(), byName);
      index = i; // a benign race: concurrent readers build equal indexes
    }
    return Optional.ofNullable(i.byName().get(name));
  }

  /** The meta TTL that applies to channels with these options: their own, else {@code channel.history_meta_ttl}. */
  public Duration effectiveHistoryMetaTtl(ChannelOptions options) {
    return effectiveHistoryMetaTtl(options, historyMetaTtl);
  }

  static Duration effectiveHistoryMetaTtl(ChannelOptions options, Duration global) {
    Duration own = options.getHistoryMetaTtl();
    // 0 inherits too: Centrifugo treats a zero namespace value as "not set".
    return own == null || own.isZero() ? global : own;
  }

  /** How long a channel's stream metadata (offset, epoch) outlives its last publication. */
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

  public ChannelProxyOptions getProxy() {
    return proxy;
  }

  public ChannelsOptions setProxy(ChannelProxyOptions proxy) {
    this.proxy = proxy;
    return this;
  }
}
