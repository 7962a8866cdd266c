package io.rotor.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} for tests, on a free port of the loopback, stopped on close; a fault
 * test can kill it with SIGKILL and start it again on the same port.
 */
public final class NatsProcess implements AutoCloseable {

  private volatile Process process;
  private final int port;

  private NatsProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static NatsProcess start() {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new NatsProcess(launch(port), port);
  }

  /** SIGKILL: the server's connections drop without a goodbye. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the server again on its port (after {@link #kill9}) and waits until it accepts connections. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("nats-server on port " + port + " is still running");
    }
    process = launch(port);
  }

  private static Process launch(int port) {
    try {
      Path log = Files.createTempFile("rotor-nats", ".log");
      Process p = new ProcessBuilder("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try (Socket s = new Socket("127.0.0.1", port)) {
          return p;
        } catch (IOException e) {
          if (System.nanoTime() > deadline || !p.isAlive()) {
            p.destroyForcibly();
            throw new IllegalStateException("nats-server did not start (is it installed? scripts/test.sh installs it): "
                + Files.readString(log), e);
          }
          Thread.sleep(50); // polling for the port to open: there is no event to wait for
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start nats-server (is it installed? scripts/test.sh installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
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
  }
}
