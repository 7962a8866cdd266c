package io.rotor.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration: a JSON file with Centrifugo v6 key names, then {@code ROTOR_<PATH>}
 * environment overrides, then binding and validation. Unknown keys are warnings (logged and
 * returned); anything that cannot work is a {@link ConfigException} naming the key path or the
 * environment variable.
 */
public final class ConfigLoader {

  /** Loaded options and the warnings met on the way (unknown keys, unmatched ROTOR_ variables). */
  public record LoadResult(RotorOptions options, List<String> warnings) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {
  }

  /** Loads {@code file} (or only defaults when null) with overrides from {@code env}, usually {@code System.getenv()}. */
  public static RotorOptions load(Path file, Map<String, String> env) {
    return loadWithWarnings(file, env).options();
  }

  public static LoadResult loadWithWarnings(Path file, Map<String, String> env) {
    if (file == null) {
      return load("{}", "config", env);
    }
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e, e);
    }
    return load(json, "config file " + file, env);
  }

  /** Like {@link #load} with the file's content given as a string. */
  public static RotorOptions fromJson(String json, Map<String, String> env) {
    return fromJsonWithWarnings(json, env).options();
  }

  public static LoadResult fromJsonWithWarnings(String json, Map<String, String> env) {
    return load(json, "config", env);
  }

  /** Validates options built in code (the loader does this itself); throws {@link ConfigException}. */
  public static void validate(RotorOptions options) {
    ConfigValidator.validate(options);
  }

  private static LoadResult load(String json, String source, Map<String, String> env) {
    List<String> warnings = new ArrayList<>();
    ObjectNode tree = parse(json, source);
    Map<String, String> fromEnv = EnvOverrides.apply(tree, env == null ? Map.of() : env, warnings);
    UnknownKeys.find(tree, warnings);
    RotorOptions options;
    try {
      options = bind(tree);
      normalize(options);
      ConfigValidator.validate(options);
    } catch (ConfigException e) {
      throw blameEnv(e, fromEnv);
    }
    for (String w : warnings) {
      LOG.warn("{}", w);
    }
    return new LoadResult(options, List.copyOf(warnings));
  }

  private static ObjectNode parse(String json, String source) {
    JsonNode node;
    try {
      node = ConfigMapper.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(source + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new ConfigException(source + " must be a JSON object, got "
          + (node == null || node.isMissingNode() ? "nothing" : describe(node)));
    }
    return (ObjectNode) node;
  }

  private static RotorOptions bind(ObjectNode tree) {
    try {
      return ConfigMapper.MAPPER.treeToValue(tree, RotorOptions.class);
    } catch (JsonMappingException e) {
      String path = path(e);
      throw ConfigException.at(path, problem(e, at(tree, e)));
    } catch (JsonProcessingException e) {
      throw new ConfigException("config: " + e.getOriginalMessage(), e);
    }
  }

  /** Centrifugo treats a zero namespace history_meta_ttl as "not set"; store it as null so readers need one check. */
  private static void normalize(RotorOptions options) {
    ChannelsOptions ch = options.getChannel();
    if (ch == null) {
      return;
    }
    List<ChannelOptions> all = new ArrayList<>();
    all.add(ch.getWithoutNamespace());
    if (ch.getNamespaces() != null) {
      all.addAll(ch.getNamespaces());
    }
    for (ChannelOptions o : all) {
      if (o != null && Duration.ZERO.equals(o.getHistoryMetaTtl())) {
        o.setHistoryMetaTtl(null);
      }
    }
  }

  /** Adds "(set by ROTOR_X)" when the failing key, or a list/object containing it, came from the environment. */
  private static ConfigException blameEnv(ConfigException e, Map<String, String> fromEnv) {
    String key = e.getKey();
    if (key == null) {
      return e;
    }
    for (Map.Entry<String, String> s : fromEnv.entrySet()) {
      String p = s.getKey();
      if (key.equals(p) || key.startsWith(p + ".") || key.startsWith(p + "[")) {
        return e.withNote("(set by environment variable " + s.getValue() + ")");
      }
    }
    return e;
  }

  // ---- binding errors ---------------------------------------------------------------------------

  /** channel.namespaces[1].history_ttl, from Jackson's reference chain. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "config" : sb.toString();
  }

  /** The JSON value the failing reference points at, or null. */
  private static JsonNode at(JsonNode tree, JsonMappingException e) {
    JsonNode node = tree;
    for (JsonMappingException.Reference r : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    return node;
  }

  private static String problem(JsonMappingException e, JsonNode value) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException) {
        return t.getMessage(); // from Durations / the duration deserializer: already specific
      }
      if (t instanceof InvalidNullException) {
        return "must not be null";
      }
      if (t instanceof InputCoercionException ice) {
        return "expected " + expected(ice.getTargetType()) + " in range, got " + describe(value);
      }
      if (t instanceof MismatchedInputException mie && mie.getTargetType() != null) {
        return "expected " + expected(mie.getTargetType()) + ", got " + describe(value);
      }
    }
    String msg = e.getOriginalMessage();
    return msg == null ? e.toString() : msg;
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Duration.class) {
      return "a duration such as \"25s\" or a number of seconds";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a JSON array";
    }
    return "a JSON object";
  }

  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    if (node.isObject()) {
      return "an object " + abbreviate(text);
    }
    if (node.isArray()) {
      return "an array " + abbreviate(text);
    }
    return abbreviate(text);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
