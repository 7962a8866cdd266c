package io.rotor.channel;

import io.rotor.config.ChannelOptions;
import io.rotor.config.ChannelsOptions;
import io.rotor.config.NamespaceOptions;
import io.rotor.history.HistoryOptions;
import io.rotor.core.ClientError;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves channel names to their namespace options (Centrifugo rules): strip the private prefix,
 * the namespace is the part before the first boundary, unknown namespaces are 102, invalid names 107.
 */
public final class ChannelResolver {

  private final ChannelsOptions options;
  private final Map<String, ChannelOptions> namespaces = new HashMap<>();
  private final Map<ChannelOptions, Pattern> regexes = new HashMap<>();
  private final Map<ChannelOptions, HistoryOptions> history = new HashMap<>();

  public ChannelResolver(ChannelsOptions options) {
    this.options = options;
    remember(options.getWithoutNamespace());
    for (NamespaceOptions ns : options.getNamespaces()) {
      namespaces.put(ns.getName(), ns);
      remember(ns);
    }
  }

  private void remember(ChannelOptions o) {
    String regex = o.getChannelRegex();
    if (regex != null && !regex.isEmpty()) {
      regexes.put(o, Pattern.compile(regex));
    }
    Duration metaTtl = o.getHistoryMetaTtl() != null ? o.getHistoryMetaTtl() : options.getHistoryMetaTtl();
    history.put(o, new HistoryOptions(o.getHistorySize(), o.getHistoryTtl(), metaTtl));
  }

  /**
   * The name of the configured namespace {@code channel} belongs to, "" for a channel without one
   * and for a name whose prefix is no configured namespace: only config names come out (a metric
   * label must not take values clients choose).
   */
  public String namespaceOf(String channel) {
    String prefix = options.getPrivatePrefix();
    String name = !prefix.isEmpty() && channel.startsWith(prefix) ? channel.substring(prefix.length()) : channel;
    String boundary = options.getNamespaceBoundary();
    int idx = boundary.isEmpty() ? -1 : name.indexOf(boundary);
    if (idx < 0) {
      return "";
    }
    String ns = name.substring(0, idx);
    return namespaces.containsKey(ns) ? ns : "";
  }

  /** Resolves or throws {@link ClientError.Exception} with 107 (bad name) or 102 (unknown namespace). */
  public ResolvedChannel resolve(String channel) {
    if (channel == null || channel.isEmpty() || channel.length() > options.getMaxLength() || !isAscii(channel)) {
      throw ClientError.BAD_REQUEST.asException();
    }
    String prefix = options.getPrivatePrefix();
    boolean isPrivate = !prefix.isEmpty() && channel.startsWith(prefix);
    String name = isPrivate ? channel.substring(prefix.length()) : channel;
    String boundary = options.getNamespaceBoundary();
    int idx = boundary.isEmpty() ? -1 : name.indexOf(boundary);
    ChannelOptions ns;
    String rest;
    if (idx < 0) {
      ns = options.getWithoutNamespace();
      rest = name;
    } else {
      ns = namespaces.get(name.substring(0, idx));
      if (ns == null) {
        throw ClientError.UNKNOWN_CHANNEL.asException();
      }
      rest = name.substring(idx + boundary.length());
    }
    Pattern regex = regexes.get(ns);
    if (regex != null && !regex.matcher(rest).matches()) {
      throw ClientError.BAD_REQUEST.asException();
    }
    return new ResolvedChannel(channel, ns, history.get(ns), isPrivate, allowedUsers(channel));
  }

  private List<String> allowedUsers(String channel) {
    String userBoundary = options.getUserBoundary();
    int idx = userBoundary.isEmpty() ? -1 : channel.lastIndexOf(userBoundary);
    if (idx < 0) {
      return null;
    }
    String users = channel.substring(idx + userBoundary.length());
    return users.isEmpty() ? List.of() : Arrays.asList(users.split(Pattern.quote(options.getUserSeparator()), -1));
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
