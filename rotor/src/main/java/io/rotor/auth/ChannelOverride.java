package io.rotor.auth;

import io.rotor.config.ChannelOptions;
import io.vertx.core.json.JsonObject;

/**
 * The {@code override} of a subscription (token {@code override} or {@code subs[ch].override}):
 * each field, when present, replaces the namespace's option for this one subscription.
 */
public record ChannelOverride(Boolean presence, Boolean joinLeave, Boolean forcePushJoinLeave,
                              Boolean forcePositioning, Boolean forceRecovery) {

  public static final ChannelOverride NONE = new ChannelOverride(null, null, null, null, null);

  public boolean isEmpty() {
    return presence == null && joinLeave == null && forcePushJoinLeave == null && forcePositioning == null
        && forceRecovery == null;
  }

  /** The namespace options with these overrides applied (the same object when there is none). */
  public ChannelOptions apply(ChannelOptions options) {
    if (isEmpty()) {
      return options;
    }
    ChannelOptions o = options.copy();
    if (presence != null) {
      o.setPresence(presence);
    }
    if (joinLeave != null) {
      o.setJoinLeave(joinLeave);
    }
    if (forcePushJoinLeave != null) {
      o.setForcePushJoinLeave(forcePushJoinLeave);
    }
    if (forcePositioning != null) {
      o.setForcePositioning(forcePositioning);
    }
    if (forceRecovery != null) {
      o.setForceRecovery(forceRecovery);
    }
    return o;
  }

  /**
   * The {@code override} of a subscribe proxy's result, in the token's shape; a malformed one is
   * an {@link IllegalArgumentException} (the client gets the proxy's internal error).
   */
  public static ChannelOverride fromProxy(com.fasterxml.jackson.databind.JsonNode o) {
    if (o == null || o.isNull()) {
      return NONE;
    }
    try {
      return parse(new JsonObject(o.toString()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed override in the subscribe proxy's result", e);
    }
  }

  /** Reads {@code {"presence":{"value":true}, ...}}; throws ClassCastException on wrong types. */
  static ChannelOverride parse(JsonObject o) {
    if (o == null) {
      return NONE;
    }
    return new ChannelOverride(flag(o, "presence"), flag(o, "join_leave"), flag(o, "force_push_join_leave"),
        flag(o, "force_positioning"), flag(o, "force_recovery"));
  }

  private static Boolean flag(JsonObject o, String name) {
    JsonObject v = o.getJsonObject(name);
    return v == null ? null : v.getBoolean("value", false);
  }
}
