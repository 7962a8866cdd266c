package io.rotor.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A Lua script kept as a {@code .lua} resource beside the class that uses it. It runs by SHA ({@code EVALSHA});
 * a server that does not know it yet (fresh or restarted Redis) answers NOSCRIPT, and the call is
 * repeated once with the full source ({@code EVAL}), which also caches it there.
 */
public final class RedisScript {

  private final String name;
  private final String source;
  private final String sha;

  private RedisScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** The resource {@code name.lua} in the package of {@code anchor}. */
  public static RedisScript load(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name + ".lua");
      }
      return new RedisScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  /**
   * Runs the script through {@code send} (a pooled client or one ordered connection). {@code args}
   * is filled with keys count, keys and arguments after the script reference.
   */
  public Future<Response> run(Function<Request, Future<Response>> send, Object[] keys, Object[] args) {
    return send.apply(request(Command.EVALSHA, sha, keys, args)).recover(e -> {
      if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
        return send.apply(request(Command.EVAL, source, keys, args));
      }
      return Future.failedFuture(e);
    });
  }

  private static Request request(Command cmd, String script, Object[] keys, Object[] args) {
    Request r = Request.cmd(cmd).arg(script).arg(keys.length);
    for (Object k : keys) {
      RedisShards.arg(r, k);
    }
    for (Object a : args) {
      RedisShards.arg(r, a);
    }
    return r;
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
