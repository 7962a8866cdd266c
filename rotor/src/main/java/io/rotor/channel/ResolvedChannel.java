package io.rotor.channel;

import io.rotor.config.ChannelOptions;
import io.rotor.history.HistoryOptions;
import java.util.List;

/**
 * A channel name checked against the configuration: its namespace options, whether it is private
 * ({@code $}), and for user-limited channels ({@code dialog#42,43}) the users allowed in.
 */
public record ResolvedChannel(String name, ChannelOptions options, HistoryOptions history,
                              boolean isPrivate, List<String> allowedUsers) {

  public boolean userLimited() {
    return allowedUsers != null;
  }

  public boolean historyEnabled() {
    return history.enabled();
  }

  /** The same channel for one publish that skips history ({@code skip_history}). */
  public ResolvedChannel withoutHistory() {
    return new ResolvedChannel(name, options, new HistoryOptions(0, java.time.Duration.ZERO, null), isPrivate,
        allowedUsers);
  }
}
