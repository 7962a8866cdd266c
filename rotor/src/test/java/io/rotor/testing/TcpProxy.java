package io.rotor.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP pipe between a node and a server (Redis) that a test can break and mend: {@link #cut}
 * resets every piped connection and refuses new ones until {@link #restore}; {@link #loseReplies}
 * models the first moments of a partition, when requests already on the wire still arrive but
 * their answers are lost; {@link #delayReplies} models a server that answers late. Runs on its own Vert.x so the node's event loops are not involved.
 */
public final class TcpProxy implements AutoCloseable {

  private enum Mode { OPEN, LOSE_REPLIES, CUT }

  private final Vertx vertx = Vertx.vertx();
  // In fields: Vert.x 5 clients must stay reachable.
  private final NetClient client;
  private final NetServer server;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.OPEN;
  private volatile long replyDelayMs;

  private TcpProxy(String targetHost, int targetPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(downstream -> {
      if (mode == Mode.CUT) {
        downstream.close();
        return;
      }
      downstream.pause();
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed() || mode == Mode.CUT) {
          downstream.close();
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        NetSocket upstream = ar.result();
        sockets.add(downstream);
        sockets.add(upstream);
        downstream.handler(b -> {
          if (mode != Mode.CUT) {
            upstream.write(b);
          }
        });
        upstream.handler(b -> {
          long delay = replyDelayMs;
          if (mode == Mode.OPEN && delay > 0) {
            // Same delay for each chunk of one connection: the timers fire in order.
            vertx.setTimer(delay, t -> {
              if (mode == Mode.OPEN) {
                downstream.write(b);
              }
            });
          } else if (mode == Mode.OPEN) {
            downstream.write(b);
          }
        });
        downstream.closeHandler(v -> {
          sockets.remove(downstream);
          upstream.close();
        });
        upstream.closeHandler(v -> {
          sockets.remove(upstream);
          downstream.close();
        });
        downstream.resume();
      });
    });
  }

  /** A proxy on a free loopback port in front of {@code host:port}. */
  public static TcpProxy start(String host, int port) {
    TcpProxy p = new TcpProxy(host, port);
    try {
      p.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("proxy did not listen", e);
    }
    return p;
  }

  public int port() {
    return server.actualPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Requests still reach the server, answers are dropped. */
  public void loseReplies() {
    mode = Mode.LOSE_REPLIES;
  }

  /** Answers reach the node {@code ms} late (0: at once); requests are not delayed. */
  public void delayReplies(long ms) {
    replyDelayMs = ms;
  }

  /** Closes every piped connection and refuses new ones. */
  public void cut() {
    mode = Mode.CUT;
    for (NetSocket s : sockets) {
      s.close();
    }
  }

  public void restore() {
    mode = Mode.OPEN;
  }

  /** Connections currently piped (both sides counted once: the node's side). */
  public int connections() {
    return sockets.size() / 2;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
