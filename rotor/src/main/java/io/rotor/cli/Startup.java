package io.rotor.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.rotor.config.LogOptions;
import io.rotor.config.RotorOptions;
import io.rotor.config.UnsafeSettings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What a starting node tells its operator: one line that it listens (and where it is in a
 * cluster), one with the URLs to open, and one warning per unsafe setting. Kept apart from Main so
 * a test can read the lines without starting a process.
 */
public final class Startup {

  /** One line of the report and whether it is a warning. */
  public record Line(boolean warning, String text) {
    public void log(org.slf4j.Logger log) {
      if (warning) {
        log.warn("{}", text);
      } else {
        log.info("{}", text);
      }
    }
  }

  private Startup() {
  }

  public static List<Line> report(RotorOptions o, String version, String nodeId, int port) {
    List<Line> out = new ArrayList<>();
    String address = o.getHttpServer().getAddress();
    // The address stays last on the line: scripts and tests read the port from its end.
    out.add(new Line(false, "Rotor " + version + " node " + nodeId + " (engine " + o.getEngine().getType()
        + (o.getCluster().isEnabled() ? ", cluster " + o.getCluster().getName() : "") + ") listening on "
        + (address.isEmpty() ? "0.0.0.0" : address) + ":" + port));
    String host = address.isEmpty() || address.equals("0.0.0.0") || address.equals("::") ? "localhost"
        : address.contains(":") ? "[" + address + "]" : address;
    String base = "http://" + host + ":" + port;
    String open = "clients connect to ws://" + host + ":" + port + "/connection/websocket";
    if (o.getAdmin().isEnabled()) {
      open = "open " + base + o.getAdmin().getHandlerPrefix() + "/ (admin UI); " + open;
    } else {
      open = open + "; admin UI off (admin.enabled)";
    }
    out.add(new Line(false, open + "; health at " + base + "/health"));
    for (String unsafe : UnsafeSettings.find(o)) {
      out.add(new Line(true, "unsafe for production: " + unsafe));
    }
    return out;
  }

  /** Sets the root log level from {@code log.level} (Centrifugo's names; fatal logs errors, none nothing). */
  public static void applyLogLevel(LogOptions log) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Level level = switch (log.normalizedLevel()) {
      case "trace" -> Level.TRACE;
      case "debug" -> Level.DEBUG;
      case "warn" -> Level.WARN;
      case "error", "fatal" -> Level.ERROR;
      case "none" -> Level.OFF;
      default -> Level.INFO;
    };
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
  }
}
