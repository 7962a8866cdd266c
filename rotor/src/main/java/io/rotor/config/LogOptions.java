package io.rotor.config;

import java.util.List;
import java.util.Locale;

/** {@code log}: Centrifugo's log level names; the launcher applies the level once the config is read. */
public class LogOptions {

  public static final String DEFAULT_LEVEL = "info";
  /** Centrifugo's levels, least to most quiet. */
  public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "fatal", "none");

  private String level = DEFAULT_LEVEL;

  public String getLevel() {
    return level;
  }

  public LogOptions setLevel(String level) {
    this.level = level;
    return this;
  }

  /** The level in lower case ({@code DEBUG} works as well as {@code debug}). */
  public String normalizedLevel() {
    return level.toLowerCase(Locale.ROOT);
  }
}
