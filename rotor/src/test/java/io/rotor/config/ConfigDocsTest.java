package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must keep up with the options classes and conf/config.json. */
class ConfigDocsTest {

  private static final Path DOC = Path.of("../docs/configuration.md");

  @Test
  void everyKeyIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    List<String> missing = new ArrayList<>();
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      String path = key.path();
      // Channel options are documented once, by bare name, for without_namespace and namespaces alike.
      String shown = path.startsWith("channel.without_namespace.") ? path.substring("channel.without_namespace.".length())
          : path;
      if (!doc.contains("| `" + shown + "` |") && !doc.contains("### `" + shown + "`\n")) {
        missing.add(shown);
      }
    }
    for (String name : ConfigSchema.ROOT.children().get("channel").children().get("namespaces").children().keySet()) {
      String shown = name.equals("name") ? "channel.namespaces[i].name" : name;
      if (!doc.contains("| `" + shown + "` |")) {
        missing.add(shown);
      }
    }
    assertEquals(List.of(), missing, "keys without a row in " + DOC);
  }

  @Test
  void documentedDefaultsMatchTheCode() throws IOException {
    String doc = Files.readString(DOC);
    JsonNode defaults = new RotorOptions().toJson();
    // Rows look like: | `client.ping_interval` | duration | `25s` | meaning |
    Matcher row = Pattern.compile("(?m)^\\| `([a-z_.]+)` \\| [^|]+ \\| `([^`]*)` \\|").matcher(doc);
    int checked = 0;
    while (row.find()) {
      String path = row.group(1);
      JsonNode value = defaults.at("/" + path.replace('.', '/'));
      if (value.isMissingNode()) {
        value = defaults.at("/channel/without_namespace/" + path);
      }
      assertTrue(!value.isMissingNode(), "documented key " + path + " does not exist");
      assertEquals(value.isTextual() && !isDuration(path) ? "\"" + value.asText() + "\"" : value.isNull() ? "null"
          : value.isTextual() ? value.asText() : value.toString(), row.group(2), "default of " + path);
      checked++;
    }
    assertTrue(checked > 40, "only " + checked + " rows checked");
  }

  private static boolean isDuration(String path) {
    return ConfigSchema.keys().stream().anyMatch(k -> k.kind() == ConfigSchema.Kind.DURATION
        && (k.path().equals(path) || k.path().equals("channel.without_namespace." + path)));
  }

  @Test
  void exampleIsConfJson() throws IOException {
    String doc = Files.readString(DOC);
    Matcher m = Pattern.compile("(?s)## Example.*?```json\\n(.*?)```").matcher(doc);
    assertTrue(m.find(), "no example");
    JsonNode example = ConfigMapper.MAPPER.readTree(m.group(1));
    JsonNode file = ConfigMapper.MAPPER.readTree(Files.readString(Path.of("../conf/config.json")));
    assertEquals(file, example);
  }

  @Test
  void documentedEnvExamplesWork() throws IOException {
    String doc = Files.readString(DOC);
    Matcher m = Pattern.compile("\\| `((?:ROTOR|CENTRIFUGO)_[A-Z_]+)=([^`]+)` \\| `([a-z_.]+)` \\|").matcher(doc);
    int checked = 0;
    while (m.find()) {
      String value = m.group(2).startsWith("'") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
      ConfigLoader.LoadResult r = ConfigLoader.fromJsonWithWarnings("{}", Map.of(m.group(1), value));
      assertEquals(List.of(), r.warnings(), m.group(1));
      String suffix = m.group(1).substring(m.group(1).indexOf('_') + 1);
      assertTrue(EnvOverrides.names().contains(suffix), m.group(1));
      assertEquals(m.group(3).replace('.', '_').toUpperCase(java.util.Locale.ROOT), suffix);
      checked++;
    }
    assertTrue(checked >= 7, "only " + checked + " examples");
  }

  /**
   * Every Centrifugo v6 key is either a Rotor key or in the doc's list of keys Rotor does not
   * support (itself or a parent), and that list names no key Rotor has.
   */
  @Test
  void everyCentrifugoKeyIsSupportedOrListedAsNot() throws IOException {
    String doc = Files.readString(DOC);
    Matcher section = Pattern.compile("(?s)## Centrifugo keys Rotor does not support\\n(.*?)(\\n## |$)").matcher(doc);
    assertTrue(section.find(), "no section \"Centrifugo keys Rotor does not support\"");
    java.util.Set<String> listed = new java.util.TreeSet<>();
    Matcher code = Pattern.compile("`([a-z0-9_.\\[\\]]+)`").matcher(section.group(1));
    while (code.find()) {
      listed.add(code.group(1));
    }
    java.util.Set<String> rotor = rotorKeys();
    List<String> missing = new ArrayList<>();
    for (String key : CentrifugoKeys.all()) {
      if (rotor.contains(key)) {
        continue;
      }
      boolean covered = false;
      for (String at = key; at != null && !covered; at = parent(at)) {
        covered = listed.contains(at);
      }
      if (!covered) {
        missing.add(key);
      }
    }
    List<String> wrong = listed.stream().filter(rotor::contains).toList();
    if (!missing.isEmpty() || !wrong.isEmpty()) {
      // The table as it should be, to paste into the doc.
      Files.writeString(Path.of("target/unsupported-centrifugo-keys.md"), expectedTable(rotor));
    }
    assertEquals(List.of(), missing, "Centrifugo keys neither supported nor listed as not supported"
        + " (the table to paste: target/unsupported-centrifugo-keys.md)");
    assertEquals(List.of(), wrong, "listed as not supported but Rotor has them (target/unsupported-centrifugo-keys.md)");
    List<String> unknown = listed.stream().filter(k -> !CentrifugoKeys.all().contains(k)).toList();
    assertEquals(List.of(), unknown, "listed but not Centrifugo keys");
  }

  /** The doc's table: the highest unsupported keys, one row per section. */
  private static String expectedTable(java.util.Set<String> rotor) {
    Map<String, List<String>> bySection = new java.util.LinkedHashMap<>();
    for (String key : CentrifugoKeys.all()) {
      String parent = parent(key);
      if (!rotor.contains(key) && (parent == null || rotor.contains(parent))) {
        bySection.computeIfAbsent(key.split("[.\\[]")[0], k -> new ArrayList<>()).add(key);
      }
    }
    StringBuilder sb = new StringBuilder("| section | keys not supported |\n|---|---|\n");
    bySection.forEach((section, keys) -> sb.append(keys.equals(List.of(section))
        ? "| `" + section + "` | the whole section |\n"
        : "| " + section + " | " + String.join(" ", keys.stream().map(k -> "`" + k + "`").toList()) + " |\n"));
    return sb.toString();
  }

  static java.util.Set<String> rotorKeys() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    collect(ConfigSchema.ROOT, out);
    return out;
  }

  private static void collect(ConfigSchema.Key key, java.util.Set<String> out) {
    for (ConfigSchema.Key child : key.children().values()) {
      out.add(child.path());
      collect(child, out);
    }
  }

  private static String parent(String key) {
    int dot = key.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String p = key.substring(0, dot);
    return p.endsWith("[]") ? p.substring(0, p.length() - 2) : p;
  }
}
