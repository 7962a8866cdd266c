package io.rotor.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Finds keys the options classes do not have. They are warnings, not errors, so a Centrifugo
 * config with features Rotor lacks still starts; the warning names a Centrifugo v6 key as "not
 * supported by Rotor" and anything else as unknown (a typo, most likely).
 */
final class UnknownKeys {

  private UnknownKeys() {
  }

  static void find(JsonNode tree, List<String> warnings) {
    walk(tree, ConfigSchema.ROOT.children(), "", warnings);
  }

  private static void walk(JsonNode object, Map<String, ConfigSchema.Key> known, String prefix,
                           List<String> warnings) {
    object.properties().forEach(field -> {
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      ConfigSchema.Key key = known.get(field.getKey());
      JsonNode value = field.getValue();
      if (key == null && CentrifugoKeys.contains(path)) {
        warnings.add("config key " + path + " is a Centrifugo v6 option not supported by Rotor: ignored");
      } else if (key == null) {
        warnings.add("unknown config key " + path);
      } else if (key.kind() == ConfigSchema.Kind.OBJECT && value.isObject()) {
        walk(value, key.children(), path, warnings);
      } else if (key.kind() == ConfigSchema.Kind.LIST && !key.children().isEmpty() && value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          if (value.get(i).isObject()) {
            walk(value.get(i), key.children(), path + "[" + i + "]", warnings);
          }
        }
      }
      // Wrong types are not this class's business: binding reports them as errors.
    });
  }
}
