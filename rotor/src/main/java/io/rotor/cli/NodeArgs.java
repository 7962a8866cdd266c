package io.rotor.cli;

import io.rotor.config.ConfigException;
import io.rotor.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments that run a node, in Centrifugo's spellings: {@code --config FILE} ({@code -c}),
 * {@code --port N} ({@code -p}, {@code --http_server.port}), {@code --address A} ({@code -a},
 * {@code --http_server.address}), {@code --log_level L} ({@code --log.level}),
 * {@code --internal_port}, {@code --internal_address}, and {@code --<key.path> VALUE} for any other
 * key outside lists ({@code --admin.enabled}, {@code --engine.type redis}). {@code --flag=value}
 * works too; a boolean flag alone means true. Flags win over the file and the environment.
 */
public record NodeArgs(Path config, Map<String, String> flags) {

  private static final Map<String, String> ALIASES = Map.of(
      "p", "http_server.port", "port", "http_server.port",
      "a", "http_server.address", "address", "http_server.address",
      "log_level", "log.level",
      "internal_port", "http_server.internal_port",
      "internal_address", "http_server.internal_address");

  public static NodeArgs parse(String[] args) {
    Path config = null;
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new ConfigException("unexpected argument " + arg + " (see rotor --help)");
      }
      String[] nv = CommandArgs.nameAndValue(arg);
      String name = nv[0];
      String value = nv[1];
      if (name.equals("c") || name.equals("config")) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new ConfigException("--config needs a file");
          }
          value = args[++i];
        }
        config = Path.of(value);
        continue;
      }
      String path = ALIASES.getOrDefault(name, name);
      boolean bool = ConfigLoader.isBooleanKey(path);
      if (!ConfigLoader.isFlagKey(path)) {
        throw new ConfigException("unknown flag " + arg.replaceFirst("=.*", "") + " (see rotor --help)");
      }
      if (value == null) {
        if (bool && (i + 1 >= args.length || !isBool(args[i + 1]))) {
          value = "true"; // as pflag: a boolean flag alone sets true
        } else if (i + 1 >= args.length) {
          throw new ConfigException(arg + " needs a value");
        } else {
          value = args[++i];
        }
      }
      flags.put(path, value);
    }
    return new NodeArgs(config, flags);
  }

  private static boolean isBool(String s) {
    return s.matches("1|t|T|TRUE|true|True|0|f|F|FALSE|false|False");
  }
}
