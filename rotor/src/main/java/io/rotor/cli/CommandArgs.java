package io.rotor.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one subcommand in cobra's spellings, as Centrifugo's commands take them:
 * {@code -u alice}, {@code --user alice}, {@code --user=alice}, boolean flags alone ({@code -q}).
 * Names are mapped to one canonical name per option; anything else is a positional argument.
 */
final class CommandArgs {

  final Map<String, String> options = new HashMap<>();
  final List<String> positional = new ArrayList<>();

  private CommandArgs() {
  }

  /**
   * Parses {@code args} from index 1 (index 0 is the command).
   *
   * @param names every accepted spelling ({@code "u"}, {@code "user"}) to its canonical name
   * @param booleans canonical names of flags that take no value
   * @throws IllegalArgumentException for an unknown option or a missing value
   */
  static CommandArgs parse(String[] args, Map<String, String> names, Set<String> booleans) {
    CommandArgs out = new CommandArgs();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-") || a.equals("-")) {
        out.positional.add(a);
        continue;
      }
      String[] nv = nameAndValue(a);
      String name = nv[0];
      String value = nv[1];
      String canonical = names.get(name);
      if (canonical == null) {
        throw new IllegalArgumentException("unknown option " + a);
      }
      if (value == null) {
        if (booleans.contains(canonical)) {
          value = "true";
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new IllegalArgumentException(a + " needs a value");
        }
      }
      out.options.put(canonical, value);
    }
    return out;
  }

  /** {@code --name=value} or {@code -n} to its name and value (null when not given inline). */
  static String[] nameAndValue(String arg) {
    String name = arg.replaceFirst("^--?", "");
    int eq = name.indexOf('=');
    return eq < 0 ? new String[] {name, null} : new String[] {name.substring(0, eq), name.substring(eq + 1)};
  }

  String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(options.get(name));
  }
}
