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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration: a JSON, YAML or TOML file (by its extension, as Centrifugo) with
 * Centrifugo v6 key names, then {@code ROTOR_<PATH>} / {@code CENTRIFUGO_<PATH>} environment
 * overrides ({@link EnvOverrides}), then binding and validation. Unknown keys are warnings (logged and
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
    return loadWithWarnings(file, env, Map.of());
  }

  /**
   * Loads {@code file} (or only defaults when null), then the environment, then {@code flags}: key
   * path to value as given on the command line ({@code http_server.port} -> {@code "8001"}), which
   * win over both, as Centrifugo's flags do.
   */
  public static LoadResult loadWithWarnings(Path file, Map<String, String> env, Map<String, String> flags) {
    if (file == null) {
      return load(ConfigFormat.JSON, "{}", "config", env, flags);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e, e);
    }
    return load(ConfigFormat.of(file), text, "config file " + file, env, flags);
  }

  /** Like {@link #load} with the file's content given as a string. */
  public static RotorOptions fromJson(String json, Map<String, String> env) {
    return fromJsonWithWarnings(json, env).options();
  }

  public static LoadResult fromJsonWithWarnings(String json, Map<String, String> env) {
    return load(json, "config", env);
  }

  /** Like {@link #fromJsonWithWarnings} for a file's content in the given format. */
  public static LoadResult fromText(ConfigFormat format, String text, Map<String, String> env) {
    return load(format, text, "config", env, Map.of());
  }

  /**
   * The file as written, in its format (by extension): no defaults, no environment. What
   * {@code defaultenv --base-non-zero-only} asks about, as Centrifugo asks its file before defaults apply.
   */
  public static ObjectNode readTree(Path file) {
    try {
      return parse(ConfigFormat.of(file), Files.readString(file), "config file " + file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e, e);
    }
  }

  /** Whether {@code path} is a key a command-line flag may set (any key outside lists). */
  public static boolean isFlagKey(String path) {
    return EnvOverrides.kindOf(path) != null && EnvOverrides.kindOf(path) != ConfigSchema.Kind.OBJECT;
  }

  public static boolean isBooleanKey(String path) {
    return EnvOverrides.kindOf(path) == ConfigSchema.Kind.BOOLEAN;
  }

  /** Paths of every key outside lists that holds a value (not an object), for defaultenv. */
  public static List<String> leafKeys() {
    return ConfigSchema.keys().stream().filter(k -> k.kind() != ConfigSchema.Kind.OBJECT)
        .map(ConfigSchema.Key::path).toList();
  }

  /** Whether {@code path} is a list of named objects (namespaces, proxies). */
  public static boolean isNamedList(String path) {
    return ConfigSchema.keys().stream().anyMatch(k -> k.path().equals(path) && k.isNamedList());
  }

  /** The value keys of one item of the list {@code listPath}, relative to the item ({@code history_ttl}). */
  public static List<String> itemLeafKeys(String listPath) {
    List<String> out = new ArrayList<>();
    ConfigSchema.keys().stream().filter(k -> k.path().equals(listPath)).findFirst()
        .ifPresent(list -> itemLeaves(list.children(), "", out));
    return out;
  }

  private static void itemLeaves(Map<String, ConfigSchema.Key> children, String prefix, List<String> out) {
    for (ConfigSchema.Key child : children.values()) {
      if (child.kind() == ConfigSchema.Kind.OBJECT) {
        itemLeaves(child.children(), prefix + child.name() + ".", out);
      } else {
        out.add(prefix + child.name());
      }
    }
  }

  /** Whether {@code path} (with {@code []} for list items) is a duration. */
  public static boolean isDurationKey(String path) {
    ConfigSchema.Key key = ConfigSchema.ROOT;
    for (String part : path.replace("[]", "").split("\\.")) {
      key = key == null ? null : key.children().get(part);
    }
    return key != null && key.kind() == ConfigSchema.Kind.DURATION;
  }

  /** Validates options built in code (the loader does this itself); throws {@link ConfigException}. */
  public static void validate(RotorOptions options) {
    ConfigValidator.validate(options);
  }

  private static LoadResult load(String json, String source, Map<String, String> env) {
    return load(ConfigFormat.JSON, json, source, env, Map.of());
  }

  private static LoadResult load(ConfigFormat format, String text, String source, Map<String, String> env,
                                 Map<String, String> flags) {
    List<String> warnings = new ArrayList<>();
    ObjectNode tree = parse(format, text, source);
    Map<String, String> fromEnv = new LinkedHashMap<>(EnvOverrides.apply(tree, env == null ? Map.of() : env, warnings));
    fromEnv.putAll(EnvOverrides.applyFlags(tree, flags));
    UnknownKeys.find(tree, warnings);
    RotorOptions options;
    try {
      options = bind(tree);
      normalize(options);
      ConfigValidator.validate(options);
    } catch (ConfigException e) {
      throw blameEnv(e, fromEnv);
    }
    ProxyChecks.warn(options, warnings);
    for (String w : warnings) {
      LOG.warn("{}", w);
    }
    return new LoadResult(options, List.copyOf(warnings));
  }

  private static ObjectNode parse(ConfigFormat format, String text, String source) {
    JsonNode node;
    try {
      node = format.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(source + " is not valid " + format + where + ": " + e.getOriginalMessage(), e);
    }
    if (format != ConfigFormat.JSON && (node == null || node.isMissingNode() || node.isNull())) {
      node = ConfigMapper.MAPPER.createObjectNode(); // an empty YAML or TOML file: all defaults
    }
    if (node == null || !node.isObject()) {
      throw new ConfigException(source + " must be " + (format == ConfigFormat.JSON ? "a JSON object" : "a mapping")
          + ", got " + (node == null || node.isMissingNode() ? "nothing" : describe(node)));
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
        String by = s.getValue().startsWith("flag ") ? s.getValue() : "environment variable " + s.getValue();
        return e.withNote("(set by " + by + ")");
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
