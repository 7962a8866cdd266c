package io.rotor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ROTOR_<PATH>} environment variables: the dotted key path upper-cased with {@code .} turned
 * into {@code _}. Because key names contain {@code _} themselves, a name is resolved by looking it
 * up among the known keys ({@link ConfigSchema}), never by splitting it.
 */
final class EnvOverrides {

  static final String PREFIX = "ROTOR_";

  /** ROTOR_ variables read by the launch scripts and logback.xml, not config keys: no warning for them. */
  static final Set<String> NOT_CONFIG = Set.of("ROTOR_JAVA_OPTS", "ROTOR_LOG_LEVEL", "ROTOR_LOG_FORMAT");

  private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

  /** ROTOR_HTTP_SERVER_PORT -> key http_server.port, for every key outside lists. */
  private static final Map<String, ConfigSchema.Key> BY_ENV_NAME = index();

  private EnvOverrides() {
  }

  /**
   * Writes the overrides into {@code tree} and returns which key paths they set, mapped to the
   * variable that set them (for error messages). Unmatched {@code ROTOR_} names become warnings.
   */
  static Map<String, String> apply(ObjectNode tree, Map<String, String> env, List<String> warnings) {
    List<Map.Entry<String, ConfigSchema.Key>> matched = new ArrayList<>();
    for (String name : env.keySet().stream().sorted().toList()) {
      if (!name.startsWith(PREFIX) || NOT_CONFIG.contains(name)) {
        continue;
      }
      ConfigSchema.Key key = BY_ENV_NAME.get(name);
      if (key == null) {
        warnings.add("environment variable " + name + " matches no config key");
      } else if (!env.get(name).isEmpty()) {
        // Empty means unset, as with Centrifugo (viper): `FOO=` in a compose file changes nothing.
        matched.add(Map.entry(name, key));
      }
    }
    // Parents first, so ROTOR_CLIENT_INSECURE wins over an "insecure" inside ROTOR_CLIENT='{...}'.
    matched.sort(Comparator.comparingInt(e -> e.getValue().path().split("\\.").length));
    Map<String, String> sources = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigSchema.Key> e : matched) {
      ConfigSchema.Key key = e.getValue();
      set(tree, key.path(), convert(e.getKey(), env.get(e.getKey()), key));
      sources.put(key.path(), e.getKey());
    }
    return sources;
  }

  /** All names, for documentation tests. */
  static Set<String> names() {
    return BY_ENV_NAME.keySet();
  }

  private static JsonNode convert(String name, String value, ConfigSchema.Key key) {
    String v = value.strip();
    switch (key.kind()) {
      case STRING:
        return TextNode.valueOf(value); // not stripped: a secret may legitimately contain spaces
      case INT:
        try {
          return IntNode.valueOf(Integer.parseInt(v));
        } catch (NumberFormatException ex) {
          throw bad(name, key, value, "expected an integer");
        }
      case BOOLEAN:
        switch (v.toLowerCase(Locale.ROOT)) {
          case "true", "1":
            return BooleanNode.TRUE;
          case "false", "0":
            return BooleanNode.FALSE;
          default:
            throw bad(name, key, value, "expected true or false");
        }
      case DURATION:
        try {
          if (PLAIN_NUMBER.matcher(v).matches()) {
            ConfigMapper.fromSeconds(new BigDecimal(v)); // range check now, so the error names the variable
            return DecimalNode.valueOf(new BigDecimal(v)); // seconds, as a JSON number would be
          }
          Durations.parse(v);
          return TextNode.valueOf(v);
        } catch (IllegalArgumentException ex) {
          throw bad(name, key, value, ex.getMessage());
        }
      case LIST:
      case OBJECT:
      default:
        JsonNode json;
        try {
          json = ConfigMapper.MAPPER.readTree(v);
        } catch (JsonProcessingException ex) {
          throw bad(name, key, value, "not valid JSON: " + ex.getOriginalMessage());
        }
        boolean list = key.kind() == ConfigSchema.Kind.LIST;
        if (json == null || (list ? !json.isArray() : !json.isObject())) {
          throw bad(name, key, value, list ? "expected a JSON array" : "expected a JSON object");
        }
        return json;
    }
  }

  private static ConfigException bad(String name, ConfigSchema.Key key, String value, String why) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return ConfigException.about(key.path(), "environment variable " + name + " (" + key.path() + "): invalid value \""
        + shown + "\": " + why);
  }

  /** Sets {@code path} in the tree; an object value is merged into an existing object, anything else replaces. */
  private static void set(ObjectNode tree, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode at = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = at.get(parts[i]);
      if (next == null || !next.isObject()) {
        next = at.putObject(parts[i]);
      }
      at = (ObjectNode) next;
    }
    String last = parts[parts.length - 1];
    JsonNode existing = at.get(last);
    if (value.isObject() && existing != null && existing.isObject()) {
      merge((ObjectNode) existing, (ObjectNode) value);
    } else {
      at.set(last, value);
    }
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    from.properties().forEach(f -> {
      JsonNode existing = into.get(f.getKey());
      if (f.getValue().isObject() && existing != null && existing.isObject()) {
        merge((ObjectNode) existing, (ObjectNode) f.getValue());
      } else {
        into.set(f.getKey(), f.getValue());
      }
    });
  }

  private static Map<String, ConfigSchema.Key> index() {
    Map<String, ConfigSchema.Key> byName = new HashMap<>();
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      ConfigSchema.Key clash = byName.put(key.envName(), key);
      if (clash != null) {
        // Would make a variable ambiguous; a key rename must not introduce this.
        throw new IllegalStateException("config keys " + clash.path() + " and " + key.path()
            + " both map to " + key.envName());
      }
    }
    return Map.copyOf(byName);
  }
}
