package io.rotor.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * A Rotor node in a JVM of its own ({@code io.rotor.Main} on the test classpath), for crash tests:
 * {@link #kill9} stops it the way a crash does, event-bus server and Hazelcast member included.
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private NodeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static NodeProcess start(String configJson, int port, Path dir) throws IOException {
    Path config = dir.resolve("node-" + port + ".json");
    Files.writeString(config, configJson);
    Path log = dir.resolve("node-" + port + ".log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath(), "io.rotor.Main", "--config", config.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(p, port, log);
  }

  /** The test JVM's classpath; surefire may hide it in a manifest-only jar. */
  static String classpath() throws IOException {
    String cp = System.getProperty("java.class.path");
    String[] parts = cp.split(File.pathSeparator);
    if (parts.length == 1 && parts[0].endsWith(".jar")) {
      try (JarFile jar = new JarFile(parts[0])) {
        String manifestCp = jar.getManifest() == null ? null
            : jar.getManifest().getMainAttributes().getValue("Class-Path");
        if (manifestCp != null) {
          List<String> entries = new ArrayList<>();
          for (String url : manifestCp.trim().split("\\s+")) {
            entries.add(Path.of(URI.create(url)).toString());
          }
          return String.join(File.pathSeparator, entries);
        }
      }
    }
    return cp;
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
