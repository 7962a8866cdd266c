package io.rotor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.StreamPosition;
import io.rotor.config.HttpApiOptions;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code POST <prefix>/<method>} (and the legacy {@code POST <prefix>} with {@code {"method","params"}}):
 * body size check (413), API key check (401), body decoding (400), method lookup (404), then the
 * {@link ServerApi}. API-level errors are answered with HTTP 200 and an {@code error} object, as
 * Centrifugo does.
 *
 * <p>It handles the bare {@link HttpServerRequest}, ahead of the router: backends call this endpoint
 * at a high rate, and the router's context plus a body handler per request cost more CPU than the
 * publish itself.
 */
public final class ApiHandler implements Handler<HttpServerRequest> {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final byte[] EMPTY_RESULT = "{\"result\":{}}".getBytes(StandardCharsets.UTF_8);
  private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("X-API-Key");

  private final ServerApi api;
  private final HttpApiOptions options;
  private final byte[] key;
  private final String prefix;
  private final long bodyLimit;

  public ApiHandler(ServerApi api, HttpApiOptions options, long bodyLimit) {
    this(api, options, bodyLimit, "");
  }

  /** Under {@code mountPoint}: the API answers at {@code <mountPoint><handler_prefix>} (an embedding host's router). */
  public ApiHandler(ServerApi api, HttpApiOptions options, long bodyLimit, String mountPoint) {
    this.api = api;
    this.options = options;
    this.key = options.getKey().getBytes(StandardCharsets.UTF_8);
    this.prefix = mountPoint + options.getHandlerPrefix();
    this.bodyLimit = bodyLimit;
  }

  /** A request whose body a host's body handler already read ({@code body} null when empty). */
  public void handle(HttpServerRequest req, Buffer body) {
    if (body != null && body.length() > bodyLimit) {
      tooLarge(req);
      return;
    }
    handleBody(req, body);
  }

  /** True for {@code POST <prefix>} and {@code POST <prefix>/<method>}; everything else goes to the router. */
  public boolean matches(HttpServerRequest req) {
    if (req.method() != HttpMethod.POST) {
      return false;
    }
    String path = req.path();
    if (!path.startsWith(prefix)) {
      return false;
    }
    int n = prefix.length();
    return path.length() == n || path.charAt(n) == '/' && path.indexOf('/', n + 1) < 0;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredTooLarge(length)) {
      tooLarge(req);
      return;
    }
    BodyReader body = new BodyReader(req);
    req.handler(body);
    req.endHandler(v -> {
      if (!body.over) {
        handleBody(req, body.buffer);
      }
    });
  }

  private boolean declaredTooLarge(String length) {
    try {
      return Long.parseLong(length.trim()) > bodyLimit;
    } catch (NumberFormatException e) {
      return false; // the HTTP decoder refuses a malformed length itself
    }
  }

  /** Gathers the body up to the limit; a body that arrives in one chunk is kept as is, not copied. */
  private final class BodyReader implements Handler<Buffer> {
    private final HttpServerRequest req;
    Buffer buffer;
    private boolean owned;
    boolean over;

    BodyReader(HttpServerRequest req) {
      this.req = req;
    }

    @Override
    public void handle(Buffer chunk) {
      if (over) {
        return;
      }
      if ((buffer == null ? 0 : buffer.length()) + (long) chunk.length() > bodyLimit) {
        over = true;
        buffer = null;
        tooLarge(req);
      } else if (buffer == null) {
        buffer = chunk;
      } else {
        if (!owned) {
          buffer = Buffer.buffer(Math.max(256, 2 * (buffer.length() + chunk.length()))).appendBuffer(buffer);
          owned = true;
        }
        buffer.appendBuffer(chunk);
      }
    }
  }

  private static void tooLarge(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    if (!res.ended()) {
      // The rest of the body is not read: the connection cannot carry another request.
      res.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).end("Request Entity Too Large")
          .onComplete(v -> req.connection().close());
    }
  }

  private void handleBody(HttpServerRequest req, Buffer buf) {
    if (!authorized(req)) {
      req.response().setStatusCode(401).end("Unauthorized");
      return;
    }
    String path = req.path();
    String method = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : null;
    byte[] bytes = buf == null ? new byte[0] : buf.getBytes();
    JsonNode body;
    try {
      if ("publish".equals(method) && bytes.length > 0) {
        PublishRequest publish = PublishRequest.parse(bytes);
        if (publish != null) {
          publish(req, publish);
          return;
        }
      }
      body = bytes.length == 0 ? JsonCodec.object() : JsonCodec.readExact(bytes);
    } catch (IOException e) {
      req.response().setStatusCode(400).end("Bad Request");
      return;
    }
    if (body == null || !body.isObject()) {
      req.response().setStatusCode(400).end("Bad Request");
      return;
    }
    JsonNode params = body;
    boolean batch = "batch".equals(method);
    if (method == null) {
      // Legacy single endpoint: {"method":"publish","params":{...}}
      method = body.path("method").asText("");
      params = body.get("params");
    }
    if (!api.hasMethod(method)) {
      req.response().setStatusCode(404).end("Not Found");
      return;
    }
    // Methods acting on connections complete on those connections' event loops; the answer must be
    // written from the request's own (strict thread mode, see ConnectionVerticle).
    io.rotor.core.Contexts.backOn(Vertx.currentContext(), api.call("http", method, params)).onComplete(done -> {
      // batch replies are not wrapped in "result"
      JsonNode out = done.succeeded() && batch ? done.result() : ServerApi.envelope(done);
      req.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(Buffer.buffer(JsonCodec.toBytes(out)));
    });
  }

  /** The common call, without a JSON tree on the way in or out. */
  private void publish(HttpServerRequest req, PublishRequest publish) {
    Future<StreamPosition> published;
    try {
      published = api.publish(publish);
    } catch (RuntimeException e) {
      published = Future.failedFuture(e);
    }
    published.onComplete(done -> {
      byte[] out = done.succeeded() && done.result().offset() == 0
          ? EMPTY_RESULT
          : JsonCodec.toBytes(ServerApi.envelope(done.map(ServerApi::positionResult)));
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(out));
    });
  }

  private boolean authorized(HttpServerRequest req) {
    if (options.isInsecure()) {
      return true;
    }
    if (key.length == 0) {
      return false;
    }
    String given = req.getHeader(X_API_KEY);
    if (given == null) {
      String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
      if (auth != null && auth.regionMatches(true, 0, "apikey ", 0, 7)) {
        given = auth.substring(7).trim();
      }
    }
    if (given == null) {
      given = req.getParam("api_key");
    }
    // Constant-time comparison: the key must not leak through response timing.
    return given != null && MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8));
  }
}
