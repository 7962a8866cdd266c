package io.rotor.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The formats a config file may have, chosen by its extension as Centrifugo (viper) chooses:
 * {@code .yaml}/{@code .yml} is YAML, {@code .toml} is TOML, anything else JSON. Each is read into
 * the same tree, so keys, validation and error messages are the same for all three.
 */
public enum ConfigFormat {
  JSON, YAML, TOML;

  /** Parsers only: binding always goes through {@link ConfigMapper}, whatever the file's format. */
  private static final ObjectMapper YAML_READER = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper TOML_READER = TomlMapper.builder().build();

  public static ConfigFormat of(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return YAML;
    }
    if (name.endsWith(".toml")) {
      return TOML;
    }
    return JSON;
  }

  ObjectMapper mapper() {
    return switch (this) {
      case YAML -> YAML_READER;
      case TOML -> TOML_READER;
      case JSON -> ConfigMapper.MAPPER;
    };
  }
}
