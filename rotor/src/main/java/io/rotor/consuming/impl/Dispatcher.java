package io.rotor.consuming.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.api.ServerApi;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one consumed command through the server API, as Centrifugo's consuming dispatcher does: the
 * command succeeded or failed for good ({@link Outcome#DONE}: delete or acknowledge it), or it hit an
 * internal error that may pass ({@link Outcome#RETRY}: keep it and try again later). A payload that
 * does not parse, an unsupported method or an API error such as 102/107 is logged with the source's
 * id and counted done: a bad command must never hold up the ones behind it.
 *
 * <p>A {@code publish} is keyed by the command's id in its source ({@link ServerApi#callOnce}), its
 * idempotency key unless the command sets one: a command re-run after a crash does not publish twice.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** The commands that change something; reads (history, presence, info...) mean nothing here. */
  static final Set<String> METHODS = Set.of("publish", "broadcast", "subscribe", "unsubscribe", "disconnect",
      "refresh", "history_remove");

  public enum Outcome { DONE, RETRY }

  private final ServerApi api;
  private final String consumer;

  public Dispatcher(ServerApi api, String consumer) {
    this.api = api;
    this.consumer = consumer;
  }

  /**
   * Dispatches a command; {@code method} may be empty, then the payload is
   * {@code {"method": ..., "payload": ...}}. Call on a Vert.x event-loop context.
   */
  public Future<Outcome> dispatch(String id, String method, byte[] payload) {
    JsonNode params;
    try {
      JsonNode body = payload == null || payload.length == 0 ? null : JsonCodec.MAPPER.readTree(payload);
      if (method == null || method.isEmpty()) {
        if (body == null || !body.isObject()) {
          return skip(id, method, "payload is not {\"method\": ..., \"payload\": ...}");
        }
        method = body.path("method").asText("");
        body = body.get("payload");
        if (body != null && body.isTextual()) {
          // Centrifugo accepts the params as a JSON string, too.
          body = JsonCodec.MAPPER.readTree(body.asText());
        }
      }
      params = body;
    } catch (IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return skip(id, method, "payload is not JSON: " + why);
    }
    if (!METHODS.contains(method)) {
      return skip(id, method, "unsupported method (supported: " + String.join(", ", METHODS.stream().sorted().toList()) + ")");
    }
    if (params == null || !params.isObject()) {
      return skip(id, method, "params are not a JSON object");
    }
    String m = method;
    Future<JsonNode> call;
    try {
      // Keyed by the command's place in its source: a command run again after a crash (the node died
      // between running it and deleting or acknowledging it) publishes nothing twice.
      call = api.callOnce(method, params, consumer + "/" + id);
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    // Commands acting on connections complete on those connections' event loops: come back to the caller's.
    io.vertx.core.Promise<JsonNode> back = ((io.vertx.core.internal.ContextInternal) io.vertx.core.Vertx.currentContext()).promise();
    call.onComplete(back);
    return back.future().transform(done -> {
      if (done.succeeded()) {
        if ("broadcast".equals(m) && anyInternal(done.result())) {
          LOG.warn("consumer {}: {} {} failed on some channel with an internal error; will retry", consumer, m, id);
          return Future.succeededFuture(Outcome.RETRY);
        }
        return Future.succeededFuture(Outcome.DONE);
      }
      Throwable cause = done.cause();
      if (cause instanceof ClientError.Exception ce && ce.error().code() != ClientError.INTERNAL.code()) {
        return skip(id, m, "API error " + ce.error().code() + " (" + ce.error().message() + ")");
      }
      LOG.warn("consumer {}: {} {} failed: {}; will retry", consumer, m, id, cause.toString());
      return Future.succeededFuture(Outcome.RETRY);
    });
  }

  private static boolean anyInternal(JsonNode broadcastResult) {
    for (JsonNode r : broadcastResult.path("responses")) {
      if (r.path("error").path("code").asInt() == ClientError.INTERNAL.code()) {
        return true;
      }
    }
    return false;
  }

  private Future<Outcome> skip(String id, String method, String why) {
    LOG.error("consumer {}: skipping command {} (method \"{}\"): {}", consumer, id, method == null ? "" : method, why);
    return Future.succeededFuture(Outcome.DONE);
  }
}
