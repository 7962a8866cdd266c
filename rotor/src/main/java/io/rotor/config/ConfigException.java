package io.rotor.config;

/**
 * A configuration that cannot work. The message starts with the offending key path (for example
 * {@code channel.namespaces[1].history_ttl: ...}) or names the environment variable; startup stops
 * with it.
 */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String message) {
    this(null, message, null);
  }

  public ConfigException(String message, Throwable cause) {
    this(null, message, cause);
  }

  private ConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** A problem with one key: the message becomes {@code key + ": " + problem}. */
  public static ConfigException at(String key, String problem) {
    return new ConfigException(key, key + ": " + problem, null);
  }

  /** A problem with one key described by a message that does not start with it (environment variables). */
  static ConfigException about(String key, String message) {
    return new ConfigException(key, message, null);
  }

  /** The same problem, with a note appended (e.g. which environment variable set the key). */
  ConfigException withNote(String note) {
    ConfigException e = new ConfigException(key, getMessage() + " " + note, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  /** The key path the problem is about, or null when it is not about one key (file not found, bad JSON). */
  public String getKey() {
    return key;
  }
}
