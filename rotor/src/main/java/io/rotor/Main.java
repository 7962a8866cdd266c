package io.rotor;

import io.rotor.cluster.ClusterVertx;
import io.rotor.config.ConfigException;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.server.RotorServer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar rotor.jar [--config FILE]}: one node in the foreground until SIGTERM. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    int status = new io.rotor.cli.Cli(System.out, System.err, System.getenv()).run(args);
    if (status != io.rotor.cli.Cli.RUN_NODE) {
      System.exit(status);
    }
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(io.rotor.cli.Cli.USAGE);
        return;
      }
    }
    RotorOptions options;
    try {
      io.rotor.cli.NodeArgs parsed = io.rotor.cli.NodeArgs.parse(args);
      options = ConfigLoader.loadWithWarnings(parsed.config(), System.getenv(), parsed.flags()).options();
    } catch (ConfigException e) {
      fail("config error: " + e.getMessage());
      return;
    }
    io.rotor.cli.Startup.applyLogLevel(options.getLog());
    // One Prometheus registry for Vert.x's own meters and Rotor's.
    var registry = io.rotor.metrics.RotorMetrics.newRegistry();
    // Vert.x's own meters only with prometheus.enabled (see ClusterVertx).
    Vertx vertx;
    try {
      vertx = ClusterVertx.create(options, registry).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail("cannot join the cluster: " + e.getMessage());
      return;
    }
    RotorServer server;
    try {
      server = RotorServer.start(vertx, options, registry).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      fail("cannot start: " + e.getMessage());
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
      logs.putProperty("node", server.node().id()); // in every JSON log line's context
    }
    io.rotor.cli.Startup.report(options, server.node().version(), server.node().id(), server.port())
        .forEach(line -> line.log(LOG));
    long timeoutMs = options.getShutdown().getTimeout().toMillis();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM: readiness turns 503, clients are told 3001 (reconnect elsewhere and recover),
      // servers stop, history is flushed, then Vert.x closes; all within shutdown.timeout.
      long start = System.nanoTime();
      LOG.info("shutting down (at most {} ms)", timeoutMs);
      quietAcceptsWhileClosing();
      try {
        server.close().await(timeoutMs, TimeUnit.MILLISECONDS);
        long left = Math.max(1, timeoutMs - (System.nanoTime() - start) / 1_000_000);
        vertx.close().await(left, TimeUnit.MILLISECONDS);
        LOG.info("shutdown complete in {} ms", (System.nanoTime() - start) / 1_000_000);
      } catch (Exception e) {
        LOG.warn("shutdown did not finish within {} ms: {}", timeoutMs, e.toString());
      }
    }, "rotor-shutdown"));
  }

  private static void fail(String message) {
    System.err.println("rotor: " + message);
    System.exit(2);
  }

  /**
   * Clients told 3001 reconnect at once, and until Vert.x has closed the listening socket its
   * acceptor takes their connections with no event loop left to register them on: Netty logs a
   * stack trace per socket ("Failed to register an accepted channel"). In a 10,000-client restart
   * that was ~12,500 traces (~290,000 lines) and most of the shutdown's 2.8 s. They are expected
   * here, as are the "EventLoop rejected it" traces of channels closing after their loop ended
   * (~1,000 more), so those two loggers go quiet for the rest of the process's life.
   */
  private static void quietAcceptsWhileClosing() {
    for (String name : new String[] {"io.netty.bootstrap.ServerBootstrap", "io.netty.channel.AbstractChannel"}) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(ch.qos.logback.classic.Level.ERROR);
      }
    }
  }
}
