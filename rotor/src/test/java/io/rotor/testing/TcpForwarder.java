package io.rotor.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * A TCP forwarder on a free loopback port to {@code host:port}, so tests whose clients speak to
 * {@code 127.0.0.1:<port>} reach a node on another address (in a network namespace). Each accepted
 * connection gets one upstream connection; bytes are piped both ways with back-pressure, and either
 * side closing closes the other.
 */
public final class TcpForwarder implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;

  private TcpForwarder(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  public static TcpForwarder start(Vertx vertx, String host, int port) throws Exception {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(port, host).onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        in.pipeTo(out);
        out.pipeTo(in);
      });
    });
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return new TcpForwarder(server, client);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
