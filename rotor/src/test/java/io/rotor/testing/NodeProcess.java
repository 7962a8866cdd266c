package io.rotor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Rotor node in its own JVM ({@code java io.rotor.Main}, on the test class path, which holds
 * target/classes and every dependency): for what only a separate process shows, like SIGTERM, or a
 * crash ({@link #kill9} stops the event-bus server and the Hazelcast member too).
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private int port = -1;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();
  private final Thread reader;

  private NodeProcess(Process process) {
    this.process = process;
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (all) {
            all.add(line);
          }
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "node-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** Starts {@code io.rotor.Main} with the given arguments (a config file written from {@code configJson} first). */
  public static NodeProcess start(String configJson, List<String> extraArgs, java.util.Map<String, String> env)
      throws IOException {
    return start(configJson, extraArgs, env, "-Xmx256m");
  }

  private static NodeProcess start(String configJson, List<String> extraArgs, java.util.Map<String, String> env,
      String... jvmFlags) throws IOException {
    return start(List.of(), configJson, extraArgs, env, jvmFlags);
  }

  /** {@code prefix}: a command that runs the JVM, e.g. {@code ip netns exec <ns>} (it must exec, not fork). */
  private static NodeProcess start(List<String> prefix, String configJson, List<String> extraArgs,
      java.util.Map<String, String> env, String... jvmFlags) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmFlags));
    cmd.addAll(List.of("-cp", classPath(), "io.rotor.Main"));
    if (configJson != null) {
      Path config = Files.createTempFile("rotor-test", ".json");
      config.toFile().deleteOnExit();
      Files.writeString(config, configJson);
      cmd.addAll(List.of("--config", config.toString()));
    }
    cmd.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new NodeProcess(pb.start());
  }

  /** A cluster member for crash tests: its config written into {@code dir}, listening on {@code port}. */
  public static NodeProcess start(String configJson, int port, Path dir) throws IOException {
    return start(configJson, port, dir, "-Xmx384m", "-XX:+UseSerialGC");
  }

  /** Like {@link #start(String, int, Path)} with the given JVM flags (heap, GC). */
  public static NodeProcess start(String configJson, int port, Path dir, String... jvmFlags) throws IOException {
    Path config = dir.resolve("node-" + port + ".json");
    Files.writeString(config, configJson);
    NodeProcess p = start(null, List.of("--config", config.toString()), java.util.Map.of(), jvmFlags);
    p.port = port;
    return p;
  }

  /** As {@link #start(String, int, Path, String...)}, run through {@code prefix} (e.g. {@link NetNamespaces#exec}). */
  public static NodeProcess startWith(List<String> prefix, String configJson, int port, Path dir, String... jvmFlags)
      throws IOException {
    Path config = dir.resolve("node-" + port + "-" + String.join("-", prefix).hashCode() + ".json");
    Files.writeString(config, configJson);
    NodeProcess p = start(prefix, null, List.of("--config", config.toString()), java.util.Map.of(), jvmFlags);
    p.port = port;
    return p;
  }

  /** The HTTP port given to {@link #start(String, int, Path)}. */
  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What the node printed so far. */
  public String log() {
    return output();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for a line of output containing {@code text} and returns it. */
  public String awaitLine(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.contains(text)) {
        return line;
      }
    }
    throw new AssertionError("no line containing \"" + text + "\" within " + seconds + " s; output:\n" + output());
  }

  /** Polls {@code GET /ready} until it answers 200 (a cold JVM on a busy machine takes a while). */
  public void awaitReady(int port, long seconds) throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/ready"))
            .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node on port " + port + " not ready within " + seconds + " s; output:\n" + output());
  }

  public String output() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }

  public Process process() {
    return process;
  }

  /** SIGTERM (what {@code Process.destroy} sends on Unix). */
  public void terminate() {
    process.destroy();
  }

  public int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("process did not exit within " + seconds + " s; output:\n" + output());
    }
    reader.join(5000); // the last lines are still in the pipe when the process has exited
    return process.exitValue();
  }

  /** SIGTERM, then SIGKILL if the node does not stop in time. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
