package io.rotor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Environment overrides, read the way Centrifugo v6 reads its own: {@code ROTOR_<PATH>} or
 * {@code CENTRIFUGO_<PATH>}, the dotted key path upper-cased with {@code .} turned into {@code _}
 * ({@code CENTRIFUGO_HTTP_SERVER_PORT}). When both prefixes name one key, {@code ROTOR_} wins.
 *
 * <p>Values as Centrifugo takes them: booleans and integers as Go's {@code strconv} reads them,
 * Go durations ({@code 300ms}), lists of strings separated by spaces ({@code "http://a http://b"}),
 * and lists of named objects (namespaces, proxies) either as a JSON array or as space-separated
 * names that are appended to the list, each item then set by per-item variables
 * ({@code CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_PRESENCE=true}; a name's {@code .} and {@code -} become
 * {@code _}). Rotor's own forms work where they do not clash: a list as a JSON array, an object as
 * a JSON object merged into the file's, a duration as a plain number of seconds. An empty value
 * means unset.
 *
 * <p>Key names contain {@code _} themselves, so a name is resolved by looking it up among the known
 * keys ({@link ConfigSchema}), never by splitting it.
 */
final class EnvOverrides {

  static final String PREFIX = "ROTOR_";
  static final String CENTRIFUGO_PREFIX = "CENTRIFUGO_";

  /** ROTOR_ variables read by the launch scripts and logback.xml, not config keys: no warning for them. */
  static final Set<String> NOT_CONFIG = Set.of("ROTOR_JAVA_OPTS", "ROTOR_LOG_FORMAT");

  /** Variables Kubernetes adds for a service named rotor or centrifugo (Centrifugo skips them too). */
  private static final Pattern KUBERNETES = Pattern.compile("^(ROTOR|CENTRIFUGO)(?:_[A-Z0-9_]+)?_(PORT|SERVICE_)");

  private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

  /** HTTP_SERVER_PORT -> key http_server.port, for every key outside lists. */
  private static final Map<String, ConfigSchema.Key> BY_SUFFIX = index();

  private EnvOverrides() {
  }

  /** One variable (or command-line flag) that names a key: its full name, value and how errors call it. */
  private record Var(String name, String value, String label) {
    Var(String name, String value) {
      this(name, value, "environment variable " + name);
    }
  }

  /**
   * Writes the overrides into {@code tree} and returns which key paths they set, mapped to the
   * variable that set them (for error messages). Variables that name no key become warnings.
   */
  static Map<String, String> apply(ObjectNode tree, Map<String, String> env, List<String> warnings) {
    Map<String, Var> vars = collect(env, warnings);
    Map<String, String> sources = new LinkedHashMap<>();
    // Keys outside lists. keys() lists parents first, so ROTOR_CLIENT_INSECURE wins over an
    // "insecure" inside ROTOR_CLIENT='{...}'.
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      Var v = vars.remove(key.envSuffix());
      if (v != null && !v.value().isEmpty()) {
        set(tree, key.path(), convert(v, key, tree.at("/" + key.path().replace('.', '/'))));
        sources.put(key.path(), v.name());
      }
    }
    // Per-item variables of the named lists, for the items the lists have now (file and environment).
    for (ConfigSchema.Key list : ConfigSchema.keys()) {
      if (!list.isNamedList()) {
        continue;
      }
      JsonNode items = tree.at("/" + list.path().replace('.', '/'));
      for (int i = 0; items.isArray() && i < items.size(); i++) {
        if (items.get(i).isObject() && items.get(i).path("name").isTextual()) {
          applyItem(list, (ObjectNode) items.get(i), i, vars, sources, warnings);
        }
      }
    }
    for (Map.Entry<String, Var> e : new TreeMap<>(vars).entrySet()) {
      String name = e.getValue().name();
      String centrifugoKey = CentrifugoKeys.forEnvSuffix(e.getKey());
      if (centrifugoKey != null) {
        warnings.add("environment variable " + name + " sets " + centrifugoKey
            + ", a Centrifugo v6 option not supported by Rotor: ignored");
      } else if (!KUBERNETES.matcher(name).find()) {
        warnings.add("environment variable " + name + " matches no config key");
      }
    }
    return sources;
  }

  private static void applyItem(ConfigSchema.Key list, ObjectNode item, int index, Map<String, Var> vars,
                                Map<String, String> sources, List<String> warnings) {
    String itemSuffix = list.envSuffix() + "_" + nameForEnv(item.get("name").asText());
    Map<String, ConfigSchema.Key> keys = new LinkedHashMap<>();
    flatten(list.children(), "", keys);
    for (Map.Entry<String, ConfigSchema.Key> k : keys.entrySet()) {
      Var v = vars.remove(itemSuffix + "_" + ConfigSchema.envSuffix(k.getKey()));
      if (v != null && !v.value().isEmpty()) {
        String path = list.path() + "[" + index + "]." + k.getKey();
        set(item, k.getKey(), convert(v, k.getValue(), item.at("/" + k.getKey().replace('.', '/'))));
        sources.put(path, v.name());
      }
    }
    for (String rel : CentrifugoKeys.itemKeys(list.path())) {
      if (!keys.containsKey(rel)) {
        Var v = vars.remove(itemSuffix + "_" + ConfigSchema.envSuffix(rel));
        if (v != null) {
          warnings.add("environment variable " + v.name() + " sets " + list.path() + "[]." + rel
              + ", a Centrifugo v6 option not supported by Rotor: ignored");
        }
      }
    }
  }

  /** Item keys by their path inside the item ({@code name}, {@code timeout}, {@code http.timeout}). */
  private static void flatten(Map<String, ConfigSchema.Key> children, String prefix, Map<String, ConfigSchema.Key> out) {
    for (ConfigSchema.Key child : children.values()) {
      String rel = prefix + child.name();
      out.put(rel, child);
      if (child.kind() == ConfigSchema.Kind.OBJECT) {
        flatten(child.children(), rel + ".", out);
      }
    }
  }

  /** Centrifugo's NameForEnv: {@code .} and {@code -} become {@code _}, then upper case. */
  static String nameForEnv(String name) {
    return name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The variables of both prefixes by suffix; ROTOR_ over CENTRIFUGO_, with a warning when they differ. */
  private static Map<String, Var> collect(Map<String, String> env, List<String> warnings) {
    Map<String, Var> bySuffix = new HashMap<>();
    for (String prefix : List.of(CENTRIFUGO_PREFIX, PREFIX)) {
      for (String name : new TreeMap<>(env).keySet()) {
        if (!name.startsWith(prefix) || NOT_CONFIG.contains(name) || name.startsWith("CENTRIFUGO_VAR_")) {
          continue;
        }
        String suffix = name.substring(prefix.length());
        Var previous = bySuffix.put(suffix, new Var(name, env.get(name)));
        if (previous != null && !previous.value().equals(env.get(name))) {
          warnings.add("environment variables " + name + " and " + previous.name() + " are both set: "
              + name + " wins");
        }
      }
    }
    return bySuffix;
  }

  /**
   * Command-line flags ({@code --port 8001}, {@code --http_server.port=8001}), already resolved to key
   * paths by the caller; they win over the file and the environment, as in Centrifugo. Values are
   * read like environment values. Returns the paths set, mapped to the flag.
   */
  static Map<String, String> applyFlags(ObjectNode tree, Map<String, String> flags) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (Map.Entry<String, String> f : flags.entrySet()) {
      ConfigSchema.Key key = BY_SUFFIX.get(ConfigSchema.envSuffix(f.getKey()));
      if (key == null || !key.path().equals(f.getKey())) {
        throw new ConfigException("unknown flag --" + f.getKey() + ": no config key " + f.getKey());
      }
      Var v = new Var("--" + f.getKey(), f.getValue(), "flag --" + f.getKey());
      set(tree, key.path(), convert(v, key, tree.at("/" + key.path().replace('.', '/'))));
      sources.put(key.path(), "flag --" + f.getKey());
    }
    return sources;
  }

  /** Whether {@code path} is a key outside lists (one a flag may set), and its kind. */
  static ConfigSchema.Kind kindOf(String path) {
    ConfigSchema.Key key = BY_SUFFIX.get(ConfigSchema.envSuffix(path));
    return key != null && key.path().equals(path) ? key.kind() : null;
  }

  /** All suffixes of keys outside lists, for documentation tests. */
  static Set<String> names() {
    return BY_SUFFIX.keySet();
  }

  private static JsonNode convert(Var var, ConfigSchema.Key key, JsonNode existing) {
    String value = var.value();
    String v = value.strip();
    try {
      switch (key.kind()) {
        case STRING:
          return TextNode.valueOf(value); // not stripped: a secret may legitimately contain spaces
        case INT:
          return IntNode.valueOf(GoText.parseInt(v));
        case BOOLEAN:
          return BooleanNode.valueOf(GoText.parseBool(v));
        case DURATION:
          if (PLAIN_NUMBER.matcher(v).matches()) {
            ConfigMapper.fromSeconds(new BigDecimal(v)); // range check now, so the error names the variable
            return DecimalNode.valueOf(new BigDecimal(v)); // seconds, as a JSON number would be
          }
          Durations.parse(v);
          return TextNode.valueOf(v);
        case LIST:
          return list(var, key, v, existing);
        case OBJECT:
        default:
          JsonNode json = json(var, key, v);
          if (!json.isObject()) {
            throw bad(var, key, "expected a JSON object");
          }
          return json;
      }
    } catch (IllegalArgumentException ex) {
      throw bad(var, key, ex.getMessage());
    }
  }

  /**
   * A JSON array as it is; otherwise Centrifugo's form: space-separated strings, or for a named list
   * space-separated names appended to the list's items.
   */
  private static JsonNode list(Var var, ConfigSchema.Key key, String v, JsonNode existing) {
    if (v.startsWith("[")) {
      JsonNode json = json(var, key, v);
      if (!json.isArray()) {
        throw bad(var, key, "expected a JSON array");
      }
      return json;
    }
    ArrayNode out = ConfigMapper.MAPPER.createArrayNode();
    if (key.isNamedList()) {
      if (v.startsWith("{")) { // no name can start so: a JSON object meant as the list
        throw bad(var, key, "expected a JSON array or space-separated names");
      }
      if (existing.isArray()) {
        out.addAll((ArrayNode) existing.deepCopy());
      }
      for (String name : var.value().split(" ", -1)) {
        out.addObject().put("name", name);
      }
      return out;
    }
    if (!key.children().isEmpty()) {
      throw bad(var, key, "expected a JSON array");
    }
    if (!v.isEmpty()) {
      for (String s : var.value().split(" ", -1)) { // as Go's strings.Split(value, " ")
        out.add(s);
      }
    }
    return out;
  }

  private static JsonNode json(Var var, ConfigSchema.Key key, String v) {
    try {
      JsonNode json = ConfigMapper.MAPPER.readTree(v);
      if (json == null) {
        throw bad(var, key, "not valid JSON: empty");
      }
      return json;
    } catch (JsonProcessingException ex) {
      throw bad(var, key, "not valid JSON: " + ex.getOriginalMessage());
    }
  }

  private static ConfigException bad(Var var, ConfigSchema.Key key, String why) {
    String value = var.value();
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return ConfigException.about(key.path(), var.label() + " (" + key.path() + "): invalid value \"" + shown + "\": " + why);
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
    Map<String, ConfigSchema.Key> bySuffix = new HashMap<>();
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      ConfigSchema.Key clash = bySuffix.put(key.envSuffix(), key);
      if (clash != null) {
        // Would make a variable ambiguous; a key rename must not introduce this.
        throw new IllegalStateException("config keys " + clash.path() + " and " + key.path()
            + " both map to " + key.envSuffix());
      }
    }
    return Map.copyOf(bySuffix);
  }
}
