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
