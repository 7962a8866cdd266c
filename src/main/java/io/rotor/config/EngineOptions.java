package io.rotor.config;

import java.util.Set;

/** {@code engine}: where history and presence live. */
public class EngineOptions {

  /** Engines this build can run; {@code redis} arrives with clustering. */
  public static final Set<String> SUPPORTED_TYPES = Set.of("memory");

  private String type = "memory";

  public String getType() {
    return type;
  }

  public EngineOptions setType(String type) {
    this.type = type;
    return this;
  }
}
