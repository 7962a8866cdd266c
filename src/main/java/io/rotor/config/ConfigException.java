package io.rotor.config;

/** A configuration that cannot work; the message names the key path. Startup stops with it. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
