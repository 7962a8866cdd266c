package io.rotor.limits;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Against slowloris: a new connection must deliver the headers of its first request within
 * {@code http_server.read_header_timeout}, or it is closed. Vert.x's idle timeout cannot catch a
 * peer that sends one header byte every few seconds. One instance per HTTP server (event loop):
 * the map is confined to that loop. Needs h2c off: with h2c on, Vert.x reports HTTP/1 connections
 * only once their first request has arrived.
 */
public final class HeaderTimeout {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, Long> deadlines = new HashMap<>();

  public HeaderTimeout(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /** For {@code HttpServer.connectionHandler}: arms the deadline. */
  public void onConnection(HttpConnection conn) {
    if (timeoutMillis <= 0) {
      return;
    }
    // No closeHandler: an entry lives at most one timeout, and closing a closed connection is a no-op.
    deadlines.put(conn, vertx.setTimer(timeoutMillis, t -> {
      if (deadlines.remove(conn) != null) {
        conn.close();
      }
    }));
  }

  /** Wraps the server's request handler: a request whose headers arrived disarms the deadline. */
  public Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
    return req -> {
      Long pending = deadlines.remove(req.connection());
      if (pending != null) {
        vertx.cancelTimer(pending);
      }
      next.handle(req);
    };
  }
}
