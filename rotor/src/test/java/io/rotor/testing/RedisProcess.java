package io.rotor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free port, without persistence, stopped on close.
 * {@link #command} speaks plain RESP over a socket, for what tests do behind the node's back
 * (FLUSHALL, INFO commandstats).
 */
public final class RedisProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private RedisProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static RedisProcess start() {
    return start(List.of());
  }

  /** With further {@code redis-server} arguments, e.g. {@code --replicaof 127.0.0.1 <port>}. */
  public static RedisProcess start(List<String> extra) {
    return onFreePort(port -> {
      Path dir = Files.createTempDirectory("rotor-redis");
      List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString()));
      cmd.addAll(extra);
      return started(cmd, port, dir);
    });
  }

  /**
   * A Sentinel (the {@code redis-server} binary in sentinel mode) monitoring {@code master} at
   * {@code masterPort} with quorum {@code quorum}, declaring it down after {@code downAfterMs}.
   */
  public static RedisProcess sentinel(String master, int masterPort, int quorum, long downAfterMs) {
    return onFreePort(port -> {
      Path dir = Files.createTempDirectory("rotor-sentinel");
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
          + "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " " + quorum + "\n"
          + "sentinel down-after-milliseconds " + master + " " + downAfterMs + "\n"
          + "sentinel failover-timeout " + master + " 10000\n"
          + "sentinel parallel-syncs " + master + " 1\n");
      return started(List.of("redis-server", conf.toString(), "--sentinel"), port, dir);
    });
  }

  private interface Launch {
    RedisProcess on(int port) throws IOException;
  }

  /** A port found free can be taken by another process before redis-server binds it: try another. */
  private static RedisProcess onFreePort(Launch launch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return launch.on(freePort());
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot start redis-server (is it installed? scripts/test.sh installs it)", e);
      }
    }
  }

  private static final class PortTaken extends IllegalStateException {
    PortTaken(int port) {
      super("port " + port + " was taken before redis-server could bind it");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static RedisProcess started(List<String> cmd, int port, Path dir) {
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
      RedisProcess redis = new RedisProcess(p, port, dir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try {
          if ("PONG".equals(redis.command("PING"))) {
            return redis;
          }
        } catch (IOException e) {
          if (System.nanoTime() > deadline || !p.isAlive()) {
            p.destroyForcibly();
            if (Files.readString(dir.resolve("redis.log")).contains("Address already in use")) {
              throw new PortTaken(port);
            }
            throw new IllegalStateException("redis-server did not start (is it installed? scripts/test.sh installs it)", e);
          }
          Thread.sleep(50); // polling for the port to open: there is no event to wait for
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (is it installed? scripts/test.sh installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: the server dies without a word, as in a crash. */
  public void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Runs one command; returns a simple/bulk string or integer reply as text (arrays are not needed here). */
  public String command(String... args) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return reply(send(s, args));
    }
  }

  /** One reply; an array comes flattened, its elements separated by spaces (nil as empty). */
  private static String reply(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("no reply");
    }
    switch (line.charAt(0)) {
      case '+', ':':
        return line.substring(1);
      case '-':
        throw new IOException(line.substring(1));
      case '*': {
        int n = Integer.parseInt(line.substring(1));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
          String e = reply(in);
          out.append(i == 0 ? "" : " ").append(e == null ? "" : e);
        }
        return n < 0 ? null : out.toString();
      }
      case '$': {
        int n = Integer.parseInt(line.substring(1));
        if (n < 0) {
          return null;
        }
        char[] buf = new char[n];
        int read = 0;
        while (read < n) {
          int r = in.read(buf, read, n - read);
          if (r < 0) {
            throw new IOException("truncated reply");
          }
          read += r;
        }
        in.readLine(); // the CRLF after the bulk string
        return new String(buf);
      }
      default:
        throw new IOException("unexpected reply " + line);
    }
  }

  /** Writes one command to {@code s} and returns a reader of its reply. */
  private static BufferedReader send(Socket s, String... args) throws IOException {
    s.setSoTimeout(5000);
    OutputStream out = s.getOutputStream();
    StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
    for (String a : args) {
      req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    out.write(req.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Runs one command whose reply is an array of bulk strings. */
  public List<String> commandArray(String... args) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      BufferedReader in = send(s, args);
      String line = in.readLine();
      if (line == null || line.charAt(0) != '*') {
        throw new IOException("expected an array, got " + line);
      }
      int n = Integer.parseInt(line.substring(1));
      List<String> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String header = in.readLine();
        items.add(header.startsWith("$-1") ? null : in.readLine());
      }
      return items;
    }
  }

  /** {@code INFO commandstats} as command name to number of calls. */
  public Map<String, Long> commandStats() throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : command("INFO", "commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        String calls = line.substring(line.indexOf("calls=") + 6);
        out.put(name, Long.parseLong(calls.substring(0, calls.indexOf(','))));
      }
    }
    return out;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // temp files
    }
  }
}
