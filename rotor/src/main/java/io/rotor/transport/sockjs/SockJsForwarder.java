package io.rotor.transport.sockjs;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SockJS behind a round-robin balancer: a request for a session another node holds (xhr_send, a
 * new poll, a re-opened xhr_streaming or eventsource) is proxied to that node's HTTP server, its
 * body streamed there and the response streamed back unbuffered. Requests for sessions held here,
 * for sessions nobody holds (a new session starts here) and the WebSocket endpoints are served
 * locally. The hop is marked, so a node never forwards a forwarded request again.
 */
final class SockJsForwarder implements Handler<RoutingContext> {

  static final String FORWARDED = "X-Rotor-Forwarded";
  /** {@code /<server>/<session>/<transport>} of the session-bearing HTTP transports. */
  private static final Pattern SESSION_PATH =
      Pattern.compile("/[^/.]+/([^/.]+)/(xhr|xhr_send|xhr_streaming|eventsource|htmlfile|jsonp|jsonp_send)$");
  /** Hop-by-hop headers (RFC 9110 §7.6.1) stay on their own hop. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");
  /** Long polls and streams each hold a pooled connection while they last. */
  private static final int MAX_CONNECTIONS_PER_NODE = 4096;

  private final SockJsSessions sessions;
  private final SockJsOwners owners;
  private final HttpClient client;

  SockJsForwarder(Vertx vertx, SockJsSessions sessions, SockJsOwners owners) {
    this.sessions = sessions;
    this.owners = owners;
    this.client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_NODE));
  }

  /** The session a SockJS request path names, or null for the paths without one. */
  static String session(String path) {
    Matcher m = SESSION_PATH.matcher(path);
    return m.find() ? m.group(1) : null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String session = session(ctx.normalizedPath());
    if (session == null || sessions.holds(session) || request.headers().contains(FORWARDED)) {
      ctx.next();
      return;
    }
    // The body must wait for the answer: either the proxy streams it on or the BodyHandler reads it.
    request.pause();
    owners.find(session).onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        forward(ctx, ar.result());
      } else {
        if (request.method() != HttpMethod.POST) {
          request.resume();
        }
        ctx.next();
      }
    });
  }

  private void forward(RoutingContext ctx, SocketAddress owner) {
    sessions.countForwarded();
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    RequestOptions options = new RequestOptions().setServer(owner).setMethod(request.method()).setURI(request.uri());
    client.request(options)
        .compose(upstream -> {
          copy(request.headers(), upstream.headers());
          upstream.putHeader(FORWARDED, "1");
          response.closeHandler(v -> upstream.reset());
          return upstream.send(request).onSuccess(down -> relay(down, response, upstream));
        })
        .onFailure(e -> {
          if (!response.headWritten()) {
            response.setStatusCode(502).end("SockJS session owner unreachable");
          } else {
            response.reset();
          }
        });
  }

  /** The owner's answer streamed back as it comes (xhr_streaming writes frames for a long time). */
  private static void relay(HttpClientResponse down, HttpServerResponse response, HttpClientRequest upstream) {
    response.setStatusCode(down.statusCode()).setStatusMessage(down.statusMessage());
    copy(down.headers(), response.headers());
    if (!down.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    Future<Void> piped = down.pipeTo(response);
    piped.onFailure(e -> upstream.reset());
  }

  private static void copy(MultiMap from, MultiMap to) {
    from.forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        to.add(name, value);
      }
    });
  }
}
