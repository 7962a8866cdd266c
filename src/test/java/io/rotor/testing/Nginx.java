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
          server {
            listen 127.0.0.1:%2$d;
            location / {
              # The proxy under test: no WebSocket gets through.
              if ($http_upgrade) { return 403; }
              proxy_pass http://127.0.0.1:%3$d;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
              proxy_request_buffering off;
              proxy_read_timeout 300s;
            }
          }
        }
        """.formatted(dir, port, upstreamPort);
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
