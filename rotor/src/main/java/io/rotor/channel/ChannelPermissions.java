package io.rotor.channel;

import io.rotor.config.ChannelOptions;

/**
 * Centrifugo v6 permission rules for client commands (all flags default to false: secure by
 * default). {@code insecure} is {@code client.insecure}, which allows everything.
 */
public final class ChannelPermissions {

  private ChannelPermissions() {
  }

  /** Subscribe without a token: user-limited channels by user list, else the allow flags. */
  public static boolean canSubscribe(ResolvedChannel ch, String user, boolean insecure) {
    ChannelOptions o = ch.options();
    if (ch.userLimited() && o.isAllowUserLimitedChannels() && !user.isEmpty() && ch.allowedUsers().contains(user)) {
      return true;
    }
    if (o.isAllowSubscribeForClient() && (!user.isEmpty() || o.isAllowSubscribeForAnonymous()) && !ch.userLimited()) {
      return true;
    }
    return insecure;
  }

  public static boolean canPublish(ResolvedChannel ch, String user, boolean subscribed, boolean insecure) {
    ChannelOptions o = ch.options();
    boolean anonymousOk = !user.isEmpty() || o.isAllowPublishForAnonymous();
    if (o.isAllowPublishForClient() && anonymousOk) {
      return true;
    }
    if (o.isAllowPublishForSubscriber() && subscribed && anonymousOk) {
      return true;
    }
    return insecure;
  }

  public static boolean canPresence(ResolvedChannel ch, String user, boolean subscribed, boolean insecure) {
    ChannelOptions o = ch.options();
    boolean anonymousOk = !user.isEmpty() || o.isAllowPresenceForAnonymous();
    return (o.isAllowPresenceForClient() && anonymousOk)
        || (o.isAllowPresenceForSubscriber() && subscribed && anonymousOk)
        || insecure;
  }

  public static boolean canHistory(ResolvedChannel ch, String user, boolean subscribed, boolean insecure) {
    ChannelOptions o = ch.options();
    boolean anonymousOk = !user.isEmpty() || o.isAllowHistoryForAnonymous();
    return (o.isAllowHistoryForClient() && anonymousOk)
        || (o.isAllowHistoryForSubscriber() && subscribed && anonymousOk)
        || insecure;
  }
}
