package io.rotor.cli;

import io.rotor.auth.ConnectToken;
import io.rotor.auth.SubscribeToken;
import io.rotor.auth.TokenVerifier;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.config.TokenOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Centrifugo's token commands with its options and output, so scripts written for Centrifugo work:
 * {@code gentoken} and {@code gensubtoken} ({@code -u USER}, {@code -s CHANNEL}, {@code -t TTL}
 * seconds with {@code -1} for no expiration, {@code -q} for the token alone), {@code checktoken}
 * and {@code checksubtoken TOKEN}. All take {@code -c FILE} (default {@code config.json} when it
 * exists, as Centrifugo) and the environment. As in Centrifugo, their errors go to standard output
 * as {@code error: ...} with exit status 1.
 */
final class TokenCommands {

  private static final Map<String, String> NAMES = Map.of(
      "c", "config", "config", "config", "u", "user", "user", "user", "t", "ttl", "ttl", "ttl",
      "q", "quiet", "quiet", "quiet", "s", "channel", "channel", "channel");
  private static final long DEFAULT_TTL = 3600L * 24 * 7;

  private final PrintStream out;
  private final Map<String, String> env;

  TokenCommands(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  int gentoken(String[] args) {
    return generate(args, false);
  }

  int gensubtoken(String[] args) {
    return generate(args, true);
  }

  private int generate(String[] args, boolean subscription) {
    CommandArgs a = CommandArgs.parse(args, NAMES, Set.of("quiet"));
    String user = a.get("user", "");
    String channel = a.get("channel", "");
    long ttl;
    try {
      ttl = Long.parseLong(a.get("ttl", Long.toString(DEFAULT_TTL)));
    } catch (NumberFormatException e) {
      return error("--ttl must be a number of seconds");
    }
    if (subscription && channel.isEmpty()) {
      out.println("channel is required");
      return 1;
    }
    RotorOptions options = ConfigLoader.load(config(a), env);
    String secret = keys(options, subscription).getHmacSecretKey();
    if (secret.isEmpty()) {
      return error((subscription ? "gensubtoken" : "gentoken") + " only supports generating HMAC-signed tokens, but no"
          + " HMAC secret key is set in the configuration (" + (subscription
          ? "client.subscription_token.hmac_secret_key, or client.token.hmac_secret_key when subscription tokens are"
          + " not separately configured" : "client.token.hmac_secret_key") + ")");
    }
    JsonObject claims = new JsonObject().put("sub", user);
    if (subscription) {
      claims.put("channel", channel);
    }
    String token = sign(secret, claims, ttl);
    if (a.flag("quiet")) {
      out.print(token);
      out.flush();
      return 0;
    }
    String who = user.isEmpty() ? "anonymous user" : "user \"" + user + "\"";
    String exp = ttl >= 0 ? "with expiration TTL " + DefaultsCommands.goDuration(java.time.Duration.ofSeconds(ttl)) : "without expiration";
    out.printf("HMAC SHA-256 JWT for %s%s %s:%n%s%n", who,
        subscription ? " and channel \"" + channel + "\"" : "", exp, token);
    return 0;
  }

  int checktoken(String[] args) {
    return check(args, false);
  }

  int checksubtoken(String[] args) {
    return check(args, true);
  }

  private int check(String[] args, boolean subscription) {
    CommandArgs a = CommandArgs.parse(args, NAMES, Set.of());
    RotorOptions options = ConfigLoader.load(config(a), env);
    if (a.positional.size() != 1) {
      return error("provide token to check [rotor " + (subscription ? "checksubtoken" : "checktoken") + " <TOKEN>]");
    }
    String token = a.positional.get(0);
    String payload = payload(token);
    Vertx vertx = Vertx.vertx();
    try {
      TokenVerifier verifier = TokenVerifier.create(vertx, keys(options, subscription));
      if (subscription) {
        SubscribeToken t = verifier.verifySubscribe(token).await(30, TimeUnit.SECONDS);
        String who = t.user().isEmpty() ? "anonymous user" : "user \"" + t.user() + "\"";
        out.printf("valid subscription token for %s and channel \"%s\"%npayload: %s%n", who, t.channel(), payload);
      } else {
        ConnectToken t = verifier.verifyConnect(token).await(30, TimeUnit.SECONDS);
        out.printf("valid token for %s%npayload: %s%n", t.user().isEmpty() ? "anonymous user" : "user " + t.user(),
            payload);
      }
      return 0;
    } catch (Exception e) {
      return error("token with algorithm " + algorithm(token) + " and claims " + payload + " has error: "
          + e.getMessage());
    } finally {
      vertx.close();
    }
  }

  /** {@code -c FILE}, else config.json when it exists, else defaults only (as Centrifugo's missing file). */
  private static Path config(CommandArgs a) {
    String c = a.options.get("config");
    if (c != null) {
      return Path.of(c);
    }
    return Files.isRegularFile(Path.of("config.json")) ? Path.of("config.json") : null;
  }

  /** The subscription token keys when configured separately, else the connection token's. */
  private static TokenOptions keys(RotorOptions o, boolean subscription) {
    return subscription && o.getClient().getSubscriptionToken().isEnabled()
        ? o.getClient().getSubscriptionToken() : o.getClient().getToken();
  }

  private static String sign(String secret, JsonObject claims, long ttl) {
    Vertx vertx = Vertx.vertx();
    try {
      JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
      JWTOptions o = new JWTOptions().setAlgorithm("HS256");
      if (ttl > 0) {
        o.setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttl));
      }
      return jwt.generateToken(claims, o);
    } finally {
      vertx.close();
    }
  }

  /** The token's claims as sent (the JSON of its middle part), or what is wrong with it. */
  private static String payload(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return "(not a JWT)";
    }
    try {
      return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "(not base64url)";
    }
  }

  private static String algorithm(String token) {
    try {
      String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
      return new JsonObject(header).getString("alg", "(none)");
    } catch (RuntimeException e) {
      return "(unknown)";
    }
  }

  private int error(String message) {
    out.println("error: " + message);
    return 1;
  }
}
