package io.rotor.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a temporary directory, {@code postgres}
 * on a free loopback port with durability off (tests need speed, not crash safety), removed on close.
 * PostgreSQL refuses to run as root: as root it runs as the {@code postgres} user the Debian package
 * creates. Database {@code postgres}, user {@code rotor}, no password (trust on loopback).
 */
public final class PostgresProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private PostgresProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** The directory of initdb/postgres: on PATH, or Debian's /usr/lib/postgresql/<version>/bin. */
  static Path binDir() {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, "initdb"))) {
        try {
          // A link on PATH (to /usr/lib/postgresql/<version>/bin/initdb): its siblings are where it points.
          return Path.of(p, "initdb").toRealPath().getParent();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    File[] versions = new File("/usr/lib/postgresql").listFiles();
    if (versions != null) {
      return Arrays.stream(versions).map(v -> v.toPath().resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(Path::toString))
          .orElseThrow(() -> new IllegalStateException("no initdb (scripts/install-test-deps.sh installs postgresql)"));
    }
    throw new IllegalStateException("no initdb (scripts/install-test-deps.sh installs postgresql)");
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> as(List<String> command) {
    if (!root()) {
      return command;
    }
    List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
    c.addAll(command);
    return c;
  }

  public static PostgresProcess start() {
    try {
      Path bin = binDir();
      Path dir = Files.createTempDirectory("rotor-pg");
      if (root()) {
        run(List.of("chown", "postgres", dir.toString()));
      }
      Path data = dir.resolve("data");
      run(as(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "rotor", "--auth=trust",
          "-E", "UTF8", "--no-sync")));
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process p = new ProcessBuilder(as(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
          "-p", String.valueOf(port), "-h", "127.0.0.1", "-k", dir.toString(), "-c", "fsync=off",
          "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("postgres.log").toFile())
          .start();
      PostgresProcess pg = new PostgresProcess(p, port, dir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        Process ready = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p",
            String.valueOf(port), "-U", "rotor").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        if (ready.waitFor() == 0) {
          return pg;
        }
        if (System.nanoTime() > deadline || !p.isAlive()) {
          pg.close();
          throw new IllegalStateException("postgres did not start: " + Files.readString(dir.resolve("postgres.log")));
        }
        Thread.sleep(100); // polling for the server to accept connections: there is no event to wait for
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  public int port() {
    return port;
  }

  /** {@code postgres://rotor@127.0.0.1:<port>/postgres} */
  public String dsn() {
    return "postgres://rotor@127.0.0.1:" + port + "/postgres";
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: smart shutdown
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      run(List.of("rm", "-rf", dir.toString()));
    } catch (IOException | InterruptedException e) {
      // best effort: a temporary directory
    }
  }
}
