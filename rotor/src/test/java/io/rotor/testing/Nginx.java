package io.rotor.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (the Debian package) reverse proxy in front of a node, on a free port, with a
 * generated config. {@link #refusingWebSocket} models a corporate proxy that strips or refuses
 * {@code Upgrade}: every upgrade request gets 403, plain HTTP passes unbuffered.
 */
public final class Nginx implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static Nginx refusingWebSocket(int upstreamPort) throws IOException, InterruptedException {
    return start("""
              # The proxy under test: no WebSocket gets through.
              if ($http_upgrade) { return 403; }
              proxy_pass http://127.0.0.1:%d;
              proxy_set_header Connection "";
        """.formatted(upstreamPort), "");
  }

  /**
   * Plain round-robin over several nodes, no stickiness: each request (every poll, every send) may
   * land on any node. WebSocket upgrades pass.
   */
  public static Nginx roundRobin(java.util.List<Integer> upstreamPorts) throws IOException, InterruptedException {
    StringBuilder servers = new StringBuilder("upstream rotor {\n");
    upstreamPorts.forEach(p -> servers.append("    server 127.0.0.1:").append(p).append(";\n"));
    servers.append("  }\n");
    return start("""
              proxy_pass http://rotor;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection $connection_upgrade;
        """, servers + """
          map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
        """);
  }

  private static Nginx start(String location, String httpBlock) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("rotor-nginx-");
    int port = LocalPorts.free();
    String conf = """
        worker_processes 1;
        daemon off;
        error_log %1$s/error.log warn;
        pid %1$s/nginx.pid;
        events { worker_connections 512; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          %4$s
          server {
            listen 127.0.0.1:%2$d;
            location / {
              %3$s
              proxy_http_version 1.1;
              proxy_buffering off;
              proxy_request_buffering off;
              proxy_read_timeout 300s;
            }
          }
        }
        """.formatted(dir, port, location, httpBlock);
    Files.writeString(dir.resolve("nginx.conf"), conf);
    Process p = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    Nginx nginx = new Nginx(p, port, dir);
    nginx.awaitListening();
    return nginx;
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + 10000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited: " + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nginx did not listen: " + log());
  }

  public int port() {
    return port;
  }

  public String log() {
    try {
      Path err = dir.resolve("error.log");
      Path out = dir.resolve("stdout.log");
      return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(err) ? Files.readString(err) : "");
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
