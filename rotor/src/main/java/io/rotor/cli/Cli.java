package io.rotor.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.config.ConfigException;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.node.Node;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The command-line tools: {@code genconfig [FILE]}, {@code checkconfig FILE}, Centrifugo's
 * {@code gentoken}, {@code gensubtoken}, {@code checktoken}, {@code checksubtoken},
 * {@code defaultconfig} and {@code defaultenv} (same options and output), {@code version},
 * {@code --help}.
 * {@link #run} returns the exit status, or {@link #RUN_NODE} when the arguments start a node.
 */
public final class Cli {

  public static final int RUN_NODE = -1;
  public static final String USAGE = """
      usage: rotor [--config FILE] [--port N] [--address A] [--log_level L] [--<key> VALUE]
                                                        run a node; FILE is JSON, YAML or TOML; CENTRIFUGO_<PATH> and
                                                        ROTOR_<PATH> env vars override keys, flags override both
             rotor genconfig [FILE]                     write a config with fresh secrets (default config.json)
             rotor checkconfig FILE                     validate a config and explain what is wrong
             rotor gentoken [-u USER] [-t TTL] [-q] [-c FILE]
                                                        an HS256 connection token signed with client.token.hmac_secret_key
                                                        (TTL in seconds, -1: no expiration; -q: the token alone)
             rotor gensubtoken -s CHANNEL [-u USER] [-t TTL] [-q] [-c FILE]
                                                        an HS256 subscription token for CHANNEL
             rotor checktoken [-c FILE] TOKEN           verify a connection token with the config's keys
             rotor checksubtoken [-c FILE] TOKEN        verify a subscription token
             rotor defaultconfig [-c FILE] [-b BASE] [-d]
                                                        write every key with its default (JSON, YAML or TOML by FILE's
                                                        extension, default config.json; -d prints it)
             rotor defaultenv [-b BASE] [--base-non-zero-only] [--prefix ROTOR_|CENTRIFUGO_]
                                                        every key as an environment variable with its value
             rotor version                              print the version
             rotor --help                               this text""";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public int run(String[] args) {
    if (args.length == 0) {
      return RUN_NODE;
    }
    try {
      return switch (args[0]) {
        case "--help", "-h", "help" -> {
          out.println(USAGE);
          yield 0;
        }
        case "version", "--version" -> {
          out.println("rotor " + Node.VERSION);
          yield 0;
        }
        case "genconfig" -> genconfig(args.length > 1 ? Path.of(args[1]) : Path.of("config.json"));
        case "checkconfig" -> {
          if (args.length != 2) {
            yield usage("checkconfig needs a FILE");
          }
          yield checkconfig(Path.of(args[1]));
        }
        case "gentoken" -> new TokenCommands(out, env).gentoken(args);
        case "gensubtoken" -> new TokenCommands(out, env).gensubtoken(args);
        case "checktoken" -> new TokenCommands(out, env).checktoken(args);
        case "checksubtoken" -> new TokenCommands(out, env).checksubtoken(args);
        case "defaultconfig" -> new DefaultsCommands(out, env).defaultconfig(args);
        case "defaultenv" -> new DefaultsCommands(out, env).defaultenv(args);
        default -> RUN_NODE;
      };
    } catch (ConfigException e) {
      err.println("rotor: config error: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } catch (java.io.IOException e) {
      err.println("rotor: " + e.getMessage());
      return 1;
    }
  }

  private int usage(String problem) {
    err.println("rotor: " + problem);
    err.println(USAGE);
    return 2;
  }

  private int genconfig(Path file) {
    if (Files.exists(file)) {
      err.println("rotor: " + file + " exists; not overwriting it");
      return 1;
    }
    ObjectNode c = JsonCodec.object();
    c.putObject("http_server").put("address", "0.0.0.0").put("port", 8000);
    ObjectNode client = c.putObject("client");
    client.putObject("token").put("hmac_secret_key", secret());
    client.putArray("allowed_origins").add("http://localhost:8000");
    c.putObject("http_api").put("key", secret());
    c.putObject("admin").put("enabled", true).put("password", secret().substring(0, 16)).put("secret", secret());
    c.putObject("prometheus").put("enabled", true);
    ObjectNode ns = c.putObject("channel").putArray("namespaces").addObject();
    ns.put("name", "chat").put("presence", true).put("history_size", 100).put("history_ttl", "300s")
        .put("force_recovery", true).put("allow_subscribe_for_client", true).put("allow_publish_for_subscriber", true);
    try {
      Files.writeString(file, c.toPrettyString() + "\n");
    } catch (IOException e) {
      err.println("rotor: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
    ConfigLoader.load(file, Map.of()); // what we write must load
    out.println("wrote " + file + " with fresh secrets");
    return 0;
  }

  private int checkconfig(Path file) {
    if (!Files.isRegularFile(file)) {
      err.println("rotor: no such file: " + file);
      return 1;
    }
    ConfigLoader.load(file, env);
    out.println(file + " is valid");
    return 0;
  }

  private static String secret() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
