package io.rotor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rotor.config.ConfigFormat;
import io.rotor.config.ConfigLoader;
import io.rotor.config.Durations;
import io.rotor.config.RotorOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Centrifugo's {@code defaultconfig} and {@code defaultenv}: the full configuration with every
 * default, as a file (JSON, YAML or TOML by the extension of {@code -c}, default
 * {@code config.json}; {@code -d} prints it instead) and as environment variables
 * ({@code NAME=value} lines, sorted, values written as Centrifugo writes them). Both start from
 * {@code -b BASE} and the environment when given. {@code defaultenv --base-non-zero-only} keeps, as
 * Centrifugo does, the variables whose key the base file itself sets to a value other than Go's zero
 * (false, 0, "", 0s, an empty list): read from the file before defaults and the environment apply, so
 * a key the file sets to its default is printed and a default the file leaves alone is not.
 */
final class DefaultsCommands {

  private static final Map<String, String> NAMES = Map.of("c", "config", "config", "config", "b", "base",
      "base", "base", "d", "dry-run", "dry-run", "dry-run", "base-non-zero-only", "non-zero", "prefix", "prefix");

  private final PrintStream out;
  private final Map<String, String> env;

  DefaultsCommands(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  int defaultconfig(String[] args) throws IOException {
    CommandArgs a = CommandArgs.parse(args, NAMES, Set.of("dry-run"));
    Path file = Path.of(a.get("config", "config.json"));
    boolean dryRun = a.flag("dry-run");
    if (!dryRun && Files.exists(file)) {
      return error("target file already exists");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".json") && !name.endsWith(".yaml") && !name.endsWith(".yml") && !name.endsWith(".toml")) {
      return error("output config file must have one of supported extensions: json, toml, yaml, yml");
    }
    ObjectNode tree = base(a).toJson();
    String text = switch (ConfigFormat.of(file)) {
      case YAML -> YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build()
          .writeValueAsString(tree);
      case TOML -> new TomlMapper().writeValueAsString(withoutNulls(tree));
      case JSON -> tree.toPrettyString() + "\n";
    };
    if (dryRun) {
      out.println(text);
      return 0;
    }
    Files.writeString(file, text);
    return 0;
  }

  int defaultenv(String[] args) throws JsonProcessingException {
    CommandArgs a = CommandArgs.parse(args, NAMES, Set.of("non-zero"));
    String prefix = a.get("prefix", "ROTOR_");
    if (!prefix.equals("ROTOR_") && !prefix.equals("CENTRIFUGO_")) {
      return error("--prefix must be ROTOR_ or CENTRIFUGO_");
    }
    JsonNode values = base(a).toJson();
    boolean nonZeroOnly = a.flag("non-zero");
    String base = a.options.get("base");
    // Without a base file nothing is non-zero in it.
    JsonNode file = base == null ? MissingNode.getInstance() : ConfigLoader.readTree(Path.of(base));
    Map<String, String> lines = new TreeMap<>();
    for (String path : ConfigLoader.leafKeys()) {
      JsonNode v = values.at(pointer(path));
      if (!nonZeroOnly || nonZero(path, file.at(pointer(path)))) {
        lines.put(prefix + envSuffix(path), format(path, v));
      }
      if (v.isArray() && ConfigLoader.isNamedList(path)) {
        for (JsonNode item : v) {
          String name = item.path("name").asText();
          String itemPrefix = prefix + envSuffix(path) + "_"
              + name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT) + "_";
          JsonNode fileItem = named(file.at(pointer(path)), name);
          for (String rel : ConfigLoader.itemLeafKeys(path)) {
            JsonNode iv = item.at(pointer(rel));
            if (!nonZeroOnly || nonZero(path + "[]." + rel, fileItem.at(pointer(rel)))) {
              lines.put(itemPrefix + envSuffix(rel), format(path + "[]." + rel, iv));
            }
          }
        }
      }
    }
    lines.forEach((k, v) -> out.println(k + "=" + v));
    return 0;
  }

  private RotorOptions base(CommandArgs a) {
    String base = a.options.get("base");
    return ConfigLoader.load(base == null ? null : Path.of(base), env);
  }

  /** A value as Centrifugo's defaultenv writes it: strings quoted, list items quoted and space-separated. */
  private static String format(String path, JsonNode v) throws JsonProcessingException {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "";
    }
    if (v.isArray()) {
      if (v.isEmpty()) {
        return "\"\"";
      }
      if (ConfigLoader.isNamedList(path)) {
        List<String> names = new ArrayList<>();
        v.forEach(item -> names.add(item.path("name").asText()));
        return "\"" + String.join(" ", names) + "\"";
      }
      List<String> items = new ArrayList<>();
      for (JsonNode item : v) {
        items.add(item.isTextual() ? "\"" + item.asText() + "\"" : item.toString());
      }
      return String.join(" ", items);
    }
    if (v.isObject()) {
      return "\"" + v.toString().replace("\"", "\\\"") + "\"";
    }
    if (v.isTextual() && ConfigLoader.isDurationKey(path)) {
      return goDuration(Durations.parse(v.asText()));
    }
    return v.isTextual() ? "\"" + v.asText() + "\"" : v.asText();
  }

  /** Go's {@code time.Duration.String()}: {@code 25s}, {@code 1m30s}, {@code 720h0m0s}, {@code 300ms}, {@code 1.5s}. */
  static String goDuration(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return fraction(nanos, 1_000) + "\u00b5s";
    }
    if (nanos < 1_000_000_000) {
      return fraction(nanos, 1_000_000) + "ms";
    }
    long seconds = nanos / 1_000_000_000;
    String s = fraction(nanos % 60_000_000_000L, 1_000_000_000) + "s";
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    return h > 0 ? h + "h" + m + "m" + s : m > 0 ? m + "m" + s : s;
  }

  private static String fraction(long value, long unit) {
    String whole = Long.toString(value / unit);
    long rest = value % unit;
    if (rest == 0) {
      return whole;
    }
    String digits = String.format(Locale.ROOT, "%0" + Long.toString(unit - 1).length() + "d", rest)
        .replaceAll("0+$", "");
    return whole + "." + digits;
  }

  /** Whether the file's value is not Go's zero value of the key's type. */
  private static boolean nonZero(String path, JsonNode v) {
    if (v.isNull() || v.isMissingNode() || v.isNumber() && v.asDouble() == 0 || v.isBoolean() && !v.asBoolean()
        || v.isContainerNode() && v.isEmpty() || v.isTextual() && v.asText().isEmpty()) {
      return false;
    }
    if (v.isTextual() && ConfigLoader.isDurationKey(path)) {
      try {
        return !Durations.parse(v.asText()).isZero();
      } catch (RuntimeException e) {
        return true; // not a duration: the loader has refused it already
      }
    }
    return true;
  }

  /** The item of a named list (namespaces, proxies) with {@code name}, as the file has it. */
  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode item : list) {
      if (name.equals(item.path("name").asText())) {
        return item;
      }
    }
    return MissingNode.getInstance();
  }

  private static String pointer(String path) {
    return "/" + path.replace('.', '/');
  }

  private static String envSuffix(String path) {
    return path.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** TOML has no null: a key whose value is null ("inherit") is left out. */
  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) node).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          withoutNulls(e.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(DefaultsCommands::withoutNulls);
    }
    return node;
  }

  private int error(String message) {
    out.println("error: " + message);
    return 1;
  }
}
