package io.rotor;

import io.rotor.cluster.ClusterVertx;
import io.rotor.config.ConfigException;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.server.RotorServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar rotor.jar [--config FILE]}: one node in the foreground until SIGTERM. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> {
          if (i + 1 >= args.length) {
            fail("--config needs a file");
          }
          config = Path.of(args[++i]);
        }
        case "--help", "-h" -> {
          System.out.println("usage: rotor [--config FILE]   (every key can be overridden by ROTOR_<PATH> env vars)");
          return;
        }
        default -> fail("unknown argument: " + args[i]);
      }
    }
    RotorOptions options;
    try {
      options = ConfigLoader.load(config, System.getenv());
    } catch (ConfigException e) {
      fail("config error: " + e.getMessage());
      return;
    }
    Vertx vertx;
    try {
      vertx = ClusterVertx.create(options).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail("cannot join the cluster: " + e.getMessage());
      return;
    }
    RotorServer server;
    try {
      server = RotorServer.start(vertx, options).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      fail("cannot start: " + e.getMessage());
      return;
    }
    LOG.info("Rotor {} node {} listening on {}:{}{}", server.node().version(), server.node().id(),
        options.getHttpServer().getAddress(), server.port(),
        options.getCluster().isEnabled() ? " (cluster " + options.getCluster().getName() + ")" : "");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM: clients are told 3001 (reconnect elsewhere), then Vert.x closes.
      try {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the JVM is exiting anyway
      }
    }));
  }

  private static void fail(String message) {
    System.err.println("rotor: " + message);
    System.exit(2);
  }
}
