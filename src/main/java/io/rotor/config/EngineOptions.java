package io.rotor.config;

import java.util.Set;

/** {@code engine}: where history and presence live. */
public class EngineOptions {

  public static final String DEFAULT_TYPE = "memory";
  /** Engines this build can run. {@code redis} arrives with clustering: add it here then. */
  public static final Set<String> SUPPORTED_TYPES = Set.of("memory");
  /** Recognized but not built yet: validation says "not available yet" rather than "unknown". */
  static final Set<String> PLANNED_TYPES = Set.of("redis");

  private String type = DEFAULT_TYPE;

  public String getType() {
    return type;
  }

  public EngineOptions setType(String type) {
    this.type = type;
    return this;
  }
}
