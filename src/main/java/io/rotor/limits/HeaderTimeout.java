package io.rotor.limits;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Against slowloris: a connection must deliver the headers of its first request within
 * {@code http_server.read_header_timeout}, and on a keep-alive connection the headers of each
 * later request within one to two timeouts of the previous response's end; otherwise it is
 * closed. Vert.x's idle timeout cannot catch a peer that sends one header byte every few seconds.
 *
 * <p>Vert.x does not say when a request's first header byte arrives, so after a request the
 * connection is checked once per timeout: a response still being written (a stream) keeps it;
 * an ended response seen at two checks in a row with no request in between closes it. WebSocket
 * upgrades leave the check. One instance per HTTP server (event loop): the map is confined to
 * that loop; an entry lives at most two timeouts past its connection. Needs h2c off: with h2c
 * on, Vert.x reports HTTP/1 connections only once their first request has arrived.
 */
public final class HeaderTimeout {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, Long> deadlines = new HashMap<>();
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  /** The latest request on a keep-alive connection, and whether its end was already seen. */
  private static final class Watch {
    final HttpServerRequest request;
    boolean endSeen;

    Watch(HttpServerRequest request) {
      this.request = request;
    }
  }

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
      HttpConnection conn = req.connection();
      Long pending = deadlines.remove(conn);
      if (pending != null) {
        vertx.cancelTimer(pending);
      }
      if (timeoutMillis > 0) {
        if (req.headers().contains(HttpHeaders.UPGRADE)) {
          watches.remove(conn);
        } else {
          Watch watch = new Watch(req);
          watches.put(conn, watch);
          vertx.setTimer(timeoutMillis, t -> check(conn, watch));
        }
      }
      next.handle(req);
    };
  }

  private void check(HttpConnection conn, Watch watch) {
    if (watches.get(conn) != watch) {
      return; // a later request (or an upgrade) took over
    }
    if (watch.request.response().closed()) {
      watches.remove(conn);
      return;
    }
    if (watch.request.response().ended()) {
      if (watch.endSeen) {
        watches.remove(conn);
        conn.close();
        return;
      }
      watch.endSeen = true;
    }
    vertx.setTimer(timeoutMillis, t -> check(conn, watch));
  }
}
