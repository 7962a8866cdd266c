package io.rotor.transport.emulation;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.node.Node;
import io.rotor.protocol.JsonCodec;
import io.rotor.transport.Cors;
import io.rotor.transport.OriginCheck;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /emulation}: the commands of http_stream and sse clients after connect, as
 * {@code {"session":"…","node":"…","data":"<newline-joined commands>"}}. The replies go out on the
 * client's stream; this answers 204 once the frame is handed to its client, 404 for an unknown
 * node or session (the client then reconnects), 400 for anything malformed or a non-JSON content
 * type, 413 above {@code emulation.max_request_body_size} (the BodyHandler's limit).
 */
public final class EmulationHandler implements Handler<RoutingContext> {

  private final EmulationRouter router;
  private final Cors cors;

  public EmulationHandler(Node node, EmulationRouter router) {
    this.router = router;
    this.cors = new Cors(new OriginCheck(node.options().getClient().getAllowedOrigins()), "POST, OPTIONS");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!cors.admit(ctx, Set.of(HttpMethod.POST))) {
      return;
    }
    if (!jsonContentType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      answer(ctx, 400, "content type must be application/json");
      return;
    }
    JsonNode request;
    try {
      request = JsonCodec.MAPPER.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (IOException e) {
      request = null;
    }
    if (request == null || !request.path("session").isTextual() || !request.path("node").isTextual()
        || !request.path("data").isTextual() || request.path("data").asText().isEmpty()) {
      answer(ctx, 400, "malformed emulation request");
      return;
    }
    router.route(request.get("node").asText(), request.get("session").asText(), request.get("data").asText())
        .onComplete(ar -> {
          if (ar.failed()) {
            answer(ctx, 500, "emulation routing failed");
          } else if (!ar.result()) {
            answer(ctx, 404, "unknown node or session");
          } else {
            ctx.response().setStatusCode(204).end();
          }
        });
  }

  /** centrifuge-js posts application/json; a missing type is taken as JSON too. */
  private static boolean jsonContentType(String type) {
    if (type == null) {
      return true;
    }
    String t = type.toLowerCase(Locale.ROOT);
    return t.startsWith("application/json") || t.startsWith("text/plain");
  }

  private static void answer(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(message);
  }
}
