package io.rotor.config;

/**
 * {@code client.subscribe_to_user_personal_channel}: every connection of an authenticated user is
 * subscribed on connect (server-side) to the user's personal channel
 * {@code <personal_channel_namespace><namespace boundary><user boundary><user>} ({@code #42}, or
 * {@code personal:#42}); with {@code single_connection} a user's newer connection disconnects the older
 * ones (3504), found through the presence of that channel. Centrifugo v6 names and meanings.
 */
public class PersonalChannelOptions {

  private boolean enabled;
  private String personalChannelNamespace = "";
  private boolean singleConnection;

  public boolean isEnabled() {
    return enabled;
  }

  public PersonalChannelOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getPersonalChannelNamespace() {
    return personalChannelNamespace;
  }

  public PersonalChannelOptions setPersonalChannelNamespace(String personalChannelNamespace) {
    this.personalChannelNamespace = personalChannelNamespace;
    return this;
  }

  public boolean isSingleConnection() {
    return singleConnection;
  }

  public PersonalChannelOptions setSingleConnection(boolean singleConnection) {
    this.singleConnection = singleConnection;
    return this;
  }

  /** The personal channel of a user, as Centrifugo names it. */
  public String channel(ChannelsOptions channels, String user) {
    String personal = channels.getUserBoundary() + user;
    return personalChannelNamespace.isEmpty() ? personal
        : personalChannelNamespace + channels.getNamespaceBoundary() + personal;
  }
}
