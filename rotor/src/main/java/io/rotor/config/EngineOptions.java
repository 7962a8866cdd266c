package io.rotor.config;

import java.util.Set;

/** {@code engine}: where history and presence live. */
public class EngineOptions {

  public static final String DEFAULT_TYPE = "memory";
  /** Engines this build can run. */
  public static final Set<String> SUPPORTED_TYPES = Set.of("memory", "redis");
  /** Recognized but not built yet: validation says "not available yet" rather than "unknown". */
  static final Set<String> PLANNED_TYPES = Set.of();

  private String type = DEFAULT_TYPE;
  /** Used when {@code type} is {@code redis}. */
  private RedisOptions redis = new RedisOptions();

  public String getType() {
    return type;
  }

  public EngineOptions setType(String type) {
    this.type = type;
    return this;
  }

  public boolean isRedis() {
    return "redis".equals(type);
  }

  public RedisOptions getRedis() {
    return redis;
  }

  public EngineOptions setRedis(RedisOptions redis) {
    this.redis = redis;
    return this;
  }
}
