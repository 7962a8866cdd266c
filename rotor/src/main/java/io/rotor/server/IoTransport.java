package io.rotor.server;

import io.rotor.config.ConfigException;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport the node's sockets use ({@code http_server.io_transport}): {@code auto}
 * (the default) takes Linux's io_uring when the kernel allows it, else epoll when its native library
 * loads, else NIO; {@code io_uring}, {@code epoll} and {@code nio} ask for one, and a native one that
 * cannot load is a startup error naming why. io_uring leads because, on a quiet machine, it cost a
 * third less CPU per WebSocket frame than epoll and a sixth less per API request
 * (docs/benchmarks.md, with the Netty 4.2.18 the build pins; 4.2.12's io_uring tripped an assertion
 * that ended an event loop); container seccomp profiles often forbid it, hence the fallback.
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
      case AUTO -> auto();
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

  /**
   * io_uring's completion queue holds 4,096 entries per event loop by default; 10,000 clients leaving
   * at once (a node's restart) overflowed it ("CompletionQueue overflow detected"), which Netty
   * survives by a slower path. 16,384 entries cost 256 KB per loop. A value set with
   * {@code -Dio.netty.iouring.cqSize} wins; call before the first io_uring event loop is made.
   */
  public static void sizeIoUringQueues() {
    if (System.getProperty(CQ_SIZE) == null) {
      System.setProperty(CQ_SIZE, "16384");
    }
  }

  private static final String CQ_SIZE = "io.netty.iouring.cqSize";

  private static Transport auto() {
    if (Transport.IO_URING.available()) {
      return Transport.IO_URING;
    }
    return Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
  }

  /** Why {@code auto} did not take io_uring (and epoll), for the startup log; null when io_uring runs. */
  public static String fallbackReason() {
    if (Transport.IO_URING.available()) {
      return null;
    }
    String why = "io_uring unavailable: " + cause(Transport.IO_URING);
    return Transport.EPOLL.available() ? why : why + "; epoll unavailable: " + cause(Transport.EPOLL);
  }

  private static String cause(Transport t) {
    Throwable cause = t.unavailabilityCause();
    return cause != null ? cause.getMessage() : "no reason given";
  }
}
