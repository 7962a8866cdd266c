package io.rotor.server;

import io.rotor.config.ConfigException;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport the node's sockets use ({@code http_server.io_transport}): {@code auto}
 * (the default) takes Linux's epoll when its native library loads and NIO otherwise; {@code epoll},
 * {@code io_uring} and {@code nio} ask for one, and a native one that cannot load is a startup
 * error naming why. epoll is the default because it costs less CPU per frame than NIO here
 * (docs/benchmarks.md); io_uring is offered but not the default (it did not win there).
 */
public final class IoTransport {

  public static final String AUTO = "auto";
  public static final List<String> NAMES = List.of(AUTO, "epoll", "io_uring", "nio");

  private IoTransport() {
  }

  /** The transport for {@code name} (one of {@link #NAMES}); throws when an asked-for one is unavailable. */
  public static Transport choose(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    Transport t = switch (n) {
      case AUTO -> Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      case "io_uring" -> Transport.IO_URING;
      case "nio" -> Transport.NIO;
      default -> throw new ConfigException("http_server.io_transport: expected one of " + NAMES + ", got \"" + name + "\"");
    };
    if (!t.available()) {
      Throwable cause = t.unavailabilityCause();
      throw new ConfigException("http_server.io_transport: " + n + " is not available here"
          + (cause != null ? ": " + cause.getMessage() : ""));
    }
    return t;
  }

  /** Why {@code auto} fell back to NIO, for the startup log; null when epoll is used. */
  public static String fallbackReason() {
    if (Transport.EPOLL.available()) {
      return null;
    }
    Throwable cause = Transport.EPOLL.unavailabilityCause();
    return cause != null ? cause.getMessage() : "epoll unavailable";
  }
}
