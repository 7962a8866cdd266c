package io.rotor.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tree of known config keys, derived from the options classes through the same Jackson
 * introspection that binds them, so it cannot drift from the classes. Used to resolve
 * {@code ROTOR_*} variables (whose names lose the difference between {@code _} and {@code .}),
 * to convert their text to the right JSON type, and to find unknown keys.
 */
final class ConfigSchema {

  enum Kind { OBJECT, LIST, STRING, INT, BOOLEAN, DURATION }

  /**
   * One key. {@code children} holds the keys of an OBJECT, or of each element of a LIST of
   * objects ({@code channel.namespaces}); it is empty otherwise.
   */
  record Key(String path, Kind kind, Map<String, Key> children) {
    /** The environment variable's name without its prefix: {@code http_server.port} -> {@code HTTP_SERVER_PORT}. */
    String envSuffix() {
      return ConfigSchema.envSuffix(path);
    }

    /** A list of objects that have a {@code name} (namespaces, proxies): items can be named in the environment. */
    boolean isNamedList() {
      return kind == Kind.LIST && children.containsKey("name");
    }

    /** The last segment of the path. */
    String name() {
      int dot = path.lastIndexOf('.');
      return dot < 0 ? path : path.substring(dot + 1);
    }
  }

  static String envSuffix(String path) {
    return path.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  static final Key ROOT = object("", RotorOptions.class);

  private ConfigSchema() {
  }

  /** Every key reachable without entering a list, parents before children. */
  static List<Key> keys() {
    List<Key> out = new ArrayList<>();
    collect(ROOT, out);
    return out;
  }

  private static void collect(Key key, List<Key> out) {
    for (Key child : key.children().values()) {
      out.add(child);
      if (child.kind() == Kind.OBJECT) {
        collect(child, out);
      }
    }
  }

  private static Key object(String path, Class<?> type) {
    return new Key(path, Kind.OBJECT, properties(path, ConfigMapper.MAPPER.constructType(type)));
  }

  private static Map<String, Key> properties(String path, JavaType type) {
    BeanDescription bean = ConfigMapper.MAPPER.getDeserializationConfig().introspect(type);
    Map<String, Key> out = new LinkedHashMap<>();
    for (BeanPropertyDefinition prop : bean.findProperties()) {
      if (!prop.couldDeserialize()) {
        continue;
      }
      String name = prop.getName();
      String childPath = path.isEmpty() ? name : path + "." + name;
      out.put(name, key(childPath, prop.getPrimaryType()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Key key(String path, JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw == String.class) {
      return new Key(path, Kind.STRING, Map.of());
    }
    if (raw == int.class || raw == Integer.class) {
      return new Key(path, Kind.INT, Map.of());
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return new Key(path, Kind.BOOLEAN, Map.of());
    }
    if (raw == Duration.class) {
      return new Key(path, Kind.DURATION, Map.of());
    }
    if (List.class.isAssignableFrom(raw)) {
      JavaType element = type.getContentType();
      Map<String, Key> children = isOptions(element.getRawClass())
          ? properties(path + "[]", element) : Map.of();
      return new Key(path, Kind.LIST, children);
    }
    if (isOptions(raw)) {
      return object(path, raw);
    }
    throw new IllegalStateException("config key " + path + " has an unsupported type " + type);
  }

  private static boolean isOptions(Class<?> raw) {
    return raw.getPackageName().equals(RotorOptions.class.getPackageName());
  }
}
