package io.rotor.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration: a JSON file with Centrifugo v6 key names, then {@code ROTOR_<PATH>}
 * environment overrides, then validation. Unknown keys are warnings; anything that cannot work is
 * a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {

  /** Loaded options and the warnings met on the way (unknown keys, unknown ROTOR_ variables). */
  public record LoadResult(RotorOptions options, List<String> warnings) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final String ENV_PREFIX = "ROTOR_";
  /** Variables the scripts use for the JVM and logging, not config keys. */
  private static final Set<String> NOT_CONFIG = Set.of("ROTOR_JAVA_OPTS", "ROTOR_LOG_LEVEL");

  private static final ObjectMapper MAPPER = mapper();

  private ConfigLoader() {
  }

  public static RotorOptions load(Path file, Map<String, String> env) {
    return loadWithWarnings(file, env).options();
  }

  public static LoadResult loadWithWarnings(Path file, Map<String, String> env) {
    if (file == null) {
      return fromJsonWithWarnings("{}", env);
    }
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return fromJsonWithWarnings(json, env);
  }

  public static RotorOptions fromJson(String json, Map<String, String> env) {
    return fromJsonWithWarnings(json, env).options();
  }

  public static LoadResult fromJsonWithWarnings(String json, Map<String, String> env) {
    List<String> warnings = new ArrayList<>();
    ObjectNode tree;
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new ConfigException("config must be a JSON object");
      }
      tree = (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new ConfigException("config is not valid JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }
    applyEnv(tree, env, warnings);
    RotorOptions options;
    try {
      options = MAPPER.reader()
          .withHandler(new UnknownKeys(warnings))
          .treeToValue(tree, RotorOptions.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(path(e) + ": " + cause(e));
    } catch (IOException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    ConfigValidator.validate(options);
    warnings.forEach(w -> LOG.warn(w));
    return new LoadResult(options, List.copyOf(warnings));
  }

  /** The effective configuration as JSON (durations as strings). */
  public static ObjectNode toJson(RotorOptions options) {
    return MAPPER.valueToTree(options);
  }

  // ---- environment overrides -----------------------------------------------------------------

  private static void applyEnv(ObjectNode tree, Map<String, String> env, List<String> warnings) {
    Map<String, String> keys = envKeys();
    ObjectNode defaults = toJson(new RotorOptions());
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || NOT_CONFIG.contains(name)) {
        continue;
      }
      String path = keys.get(name);
      if (path == null) {
        warnings.add("environment variable " + name + " matches no config key");
        continue;
      }
      JsonNode dflt = defaults.at("/" + path.replace('.', '/'));
      set(tree, path, envValue(name, e.getValue(), dflt));
    }
  }

  private static JsonNode envValue(String name, String value, JsonNode dflt) {
    try {
      if (dflt.isBoolean()) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return BooleanNode.valueOf(Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)));
      }
      if (dflt.isIntegralNumber()) {
        return LongNode.valueOf(Long.parseLong(value.trim()));
      }
      if (dflt.isContainerNode()) {
        return MAPPER.readTree(value);
      }
      return TextNode.valueOf(value);
    } catch (IllegalArgumentException | JsonProcessingException ex) {
      throw new ConfigException("environment variable " + name + ": invalid value \"" + value + "\" ("
          + ex.getMessage() + ")");
    }
  }

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
    at.set(parts[parts.length - 1], value);
  }

  /** ROTOR_HTTP_SERVER_PORT -> http_server.port, for every key of the options. */
  private static Map<String, String> envKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    collect(toJson(new RotorOptions()), "", keys);
    return keys;
  }

  private static void collect(JsonNode node, String prefix, Map<String, String> keys) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      keys.put(ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT), path);
      if (e.getValue().isObject()) {
        collect(e.getValue(), path, keys);
      }
    }
  }

  // ---- errors ---------------------------------------------------------------------------------

  static String path(JsonMappingException e) {
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

  private static String cause(JsonMappingException e) {
    Throwable c = e.getCause();
    if (c instanceof IllegalArgumentException) {
      return c.getMessage();
    }
    String msg = e.getOriginalMessage();
    int cut = msg.indexOf(" at [Source");
    return cut > 0 ? msg.substring(0, cut) : msg;
  }

  private static final class UnknownKeys extends DeserializationProblemHandler {
    private final List<String> warnings;

    UnknownKeys(List<String> warnings) {
      this.warnings = warnings;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
      String parent = p.getParsingContext().getParent() == null ? ""
          : p.getParsingContext().getParent().pathAsPointer().toString().substring(Math.min(1,
              p.getParsingContext().getParent().pathAsPointer().toString().length())).replace('/', '.');
      warnings.add("unknown config key " + (parent.isEmpty() ? "" : parent + ".") + propertyName);
      p.skipChildren();
      return true;
    }
  }

  // ---- binding --------------------------------------------------------------------------------

  private static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    // Bind fields: the fluent setters return this, and derived methods must not become keys.
    m.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
    m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    m.setSerializationInclusion(JsonInclude.Include.ALWAYS);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    SimpleModule durations = new SimpleModule();
    durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
      @Override
      public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
          double seconds = p.getDoubleValue();
          if (seconds < 0) {
            throw new IllegalArgumentException("negative duration");
          }
          return Duration.ofNanos((long) (seconds * 1e9));
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          throw new IllegalArgumentException("expected a duration like \"25s\" or a number of seconds");
        }
        return Durations.parse(p.getText());
      }
    });
    durations.addSerializer(Duration.class, new JsonSerializer<>() {
      @Override
      public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeString(Durations.format(value));
      }
    });
    m.registerModule(durations);
    return m;
  }

}
