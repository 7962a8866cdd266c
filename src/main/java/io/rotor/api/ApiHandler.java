package io.rotor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.config.HttpApiOptions;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code POST <prefix>/<method>} (and the legacy {@code POST <prefix>} with {@code {"method","params"}}):
 * API key check (401), body decoding (400), method lookup (404), then the {@link ServerApi}.
 * API-level errors are answered with HTTP 200 and an {@code error} object, as Centrifugo does.
 */
public final class ApiHandler implements Handler<RoutingContext> {

  private final ServerApi api;
  private final HttpApiOptions options;
  private final byte[] key;

  public ApiHandler(ServerApi api, HttpApiOptions options) {
    this.api = api;
    this.options = options;
    this.key = options.getKey().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!authorized(ctx)) {
      ctx.response().setStatusCode(401).end("Unauthorized");
      return;
    }
    String method = ctx.pathParam("method");
    JsonNode body;
    try {
      Buffer buf = ctx.body().buffer();
      body = buf == null || buf.length() == 0 ? JsonCodec.object() : JsonCodec.MAPPER.readTree(buf.getBytes());
    } catch (JsonProcessingException e) {
      ctx.response().setStatusCode(400).end("Bad Request");
      return;
    } catch (java.io.IOException e) {
      ctx.response().setStatusCode(400).end("Bad Request");
      return;
    }
    if (body == null || !body.isObject()) {
      ctx.response().setStatusCode(400).end("Bad Request");
      return;
    }
    JsonNode params = body;
    if (method == null) {
      // Legacy single endpoint: {"method":"publish","params":{...}}
      method = body.path("method").asText("");
      params = body.get("params");
    }
    if (!api.hasMethod(method)) {
      ctx.response().setStatusCode(404).end("Not Found");
      return;
    }
    api.call(method, params).onComplete(done -> {
      JsonNode out;
      if (done.succeeded() && "batch".equals(ctx.pathParam("method"))) {
        out = done.result(); // batch replies are not wrapped in "result"
      } else {
        out = ServerApi.envelope(done);
      }
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(Buffer.buffer(JsonCodec.toBytes(out)));
    });
  }

  private boolean authorized(RoutingContext ctx) {
    if (options.isInsecure()) {
      return true;
    }
    if (key.length == 0) {
      return false;
    }
    String given = ctx.request().getHeader("X-API-Key");
    if (given == null) {
      String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      if (auth != null && auth.regionMatches(true, 0, "apikey ", 0, 7)) {
        given = auth.substring(7).trim();
      }
    }
    if (given == null) {
      given = ctx.request().getParam("api_key");
    }
    // Constant-time comparison: the key must not leak through response timing.
    return given != null && MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8));
  }
}
