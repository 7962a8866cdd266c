package io.rotor.config;

/** A named channel namespace: channels {@code name:...} use these options. */
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


}
