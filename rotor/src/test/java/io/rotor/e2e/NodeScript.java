package io.rotor.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one Node.js scenario (src/test/node/scenarios) and returns its exit code and output. */
public final class NodeScript {

  public static final Path DIR = Path.of("src/test/node");

  public record Result(int exitCode, String output) {
  }

  /**
   * Runs a scenario against the node on {@code port} (ROTOR_PORT) with the test secrets and the
   * SDK build (ROTOR_BUILD: json or protobuf), plus {@code env}; fails with its output unless it
   * exits 0.
   */
  public static void assertPasses(String scenario, int port, String build, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("ROTOR_PORT", String.valueOf(port));
    all.put("ROTOR_SECRET", io.rotor.testing.TestNode.SECRET);
    all.put("ROTOR_API_KEY", io.rotor.testing.TestNode.API_KEY);
    all.put("ROTOR_BUILD", build);
    Result r = run(scenario, all, timeoutSeconds);
    org.junit.jupiter.api.Assertions.assertEquals(0, r.exitCode(),
        () -> scenario + " (" + build + ") failed:\n" + r.output());
  }

  public static Result run(String scenario, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", "scenarios/" + scenario + ".mjs")
        .directory(DIR.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    // Read output on a separate thread so a chatty script cannot block on a full pipe.
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // process ended
      }
    });
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      reader.join(5000);
      return new Result(-1, out + "\n(timed out after " + timeoutSeconds + " s)");
    }
    reader.join(5000);
    return new Result(p.exitValue(), out.toString());
  }
}
