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
import com.google.protobuf.InvalidProtocolBufferException;
import io.rotor.protocol.pb.EmulationRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /emulation}: the commands of http_stream and sse clients after connect, as
 * {@code {"session":"…","node":"…","data":"<newline-joined commands>"}}, or with
 * {@code application/octet-stream} a Protobuf {@code EmulationRequest} whose {@code data} holds the
 * varint-delimited commands. The frame is decoded by the session's client with its stream's codec.
 * The replies go out on the client's stream; this answers 204 once the frame is handed to its
 * client, 404 for an unknown node or session (the client then reconnects), 400 for anything
 * malformed or another content type, 413 above {@code emulation.max_request_body_size} (the BodyHandler's limit).
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
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Request request;
    if (protobufContentType(type)) {
      request = protobuf(body);
    } else if (jsonContentType(type)) {
      request = json(body);
    } else {
      answer(ctx, 400, "content type must be application/json or application/octet-stream");
      return;
    }
    if (request == null || request.data.length == 0) {
      answer(ctx, 400, "malformed emulation request");
      return;
    }
    router.route(request.node, request.session, request.data)
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

  private record Request(String node, String session, byte[] data) {
  }

  /** {@code {"session","node","data"}}; {@code data} is a JSON string holding the command lines. */
  private static Request json(byte[] body) {
    JsonNode request;
    try {
      request = JsonCodec.MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (request == null || !request.path("session").isTextual() || !request.path("node").isTextual()
        || !request.path("data").isTextual()) {
      return null;
    }
    return new Request(request.get("node").asText(), request.get("session").asText(),
        request.get("data").asText().getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code EmulationRequest} message; {@code data} holds the varint-delimited commands. */
  private static Request protobuf(byte[] body) {
    EmulationRequest request;
    try {
      request = EmulationRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
    if (request.getNode().isEmpty() || request.getSession().isEmpty()) {
      return null;
    }
    return new Request(request.getNode(), request.getSession(), request.getData().toByteArray());
  }

  /** The Protobuf builds of the SDKs post application/octet-stream, as on http_stream. */
  private static boolean protobufContentType(String type) {
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
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
