package io.rotor.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every config key of Centrifugo v6 OSS ({@code centrifugo-v6-keys.txt}), so a key Rotor lacks is
 * named at startup as "not supported by Rotor" rather than as a typo. Paths use {@code []} for the
 * items of a list: {@code channel.namespaces[].delta_publish}.
 */
final class CentrifugoKeys {

  private static final Set<String> ALL = load();
  /** HTTP_SERVER_TLS_ENABLED -> http_server.tls.enabled, for keys outside lists. */
  private static final Map<String, String> BY_ENV_SUFFIX = byEnvSuffix();

  private CentrifugoKeys() {
  }

  static Set<String> all() {
    return ALL;
  }

  /** Whether {@code path} (with list indices written {@code [3]} or {@code []}) is a Centrifugo v6 key. */
  static boolean contains(String path) {
    return ALL.contains(normalize(path));
  }

  /** The Centrifugo key an environment variable names (without its prefix), or null. */
  static String forEnvSuffix(String suffix) {
    return BY_ENV_SUFFIX.get(suffix);
  }

  /** The keys of one item of the list {@code listPath}, relative to the item ({@code http.timeout}). */
  static List<String> itemKeys(String listPath) {
    String prefix = listPath + "[].";
    List<String> out = new ArrayList<>();
    for (String k : ALL) {
      if (k.startsWith(prefix) && !k.substring(prefix.length()).contains("[]")) {
        out.add(k.substring(prefix.length()));
      }
    }
    return out;
  }

  static String normalize(String path) {
    return path.replaceAll("\\[\\d+]", "[]");
  }

  private static Set<String> load() {
    InputStream in = CentrifugoKeys.class.getResourceAsStream("centrifugo-v6-keys.txt");
    if (in == null) {
      throw new IllegalStateException("centrifugo-v6-keys.txt is missing from the jar");
    }
    Set<String> keys = new LinkedHashSet<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          keys.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableSet(keys);
  }

  private static Map<String, String> byEnvSuffix() {
    Map<String, String> out = new HashMap<>();
    for (String k : ALL) {
      if (!k.contains("[]")) {
        out.put(ConfigSchema.envSuffix(k), k);
      }
    }
    return Map.copyOf(out);
  }
}
