package io.rotor.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.config.ProxyOptions;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured proxy: builds the Centrifugo request for a client, calls the backend and reads the
 * answer. {@code {"result":{...}}} succeeds with the result; {@code {"error":{code 400-1999}}} fails
 * with that {@link ClientError}; {@code {"disconnect":{code 4000-4999}}} fails with that
 * {@link Disconnect}. A timeout, an unreachable backend or an answer that is none of these fails with
 * 100 internal server error (temporary: SDKs retry), so a client never waits on a broken backend.
 */
public final class Proxy {

  private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

  private final String kind;
  private final String name;
  private final ProxyOptions options;
  private final ProxyCaller caller;
  private final ProxyObserver observer;

  Proxy(String kind, String name, ProxyOptions options, ProxyCaller caller, ProxyObserver observer) {
    this.kind = kind;
    this.name = name;
    this.options = options;
    this.caller = caller;
    this.observer = observer;
  }

  /** The request fields every proxy call carries. */
  public static ObjectNode request(ProxyClient client, boolean withUser) {
    ObjectNode r = JsonCodec.object();
    r.put("client", client.id());
    r.put("transport", client.transportName());
    r.put("protocol", client.protocol());
    r.put("encoding", "json");
    if (withUser) {
      r.put("user", client.user());
    }
    return r;
  }

  /** Calls the backend for this client; the future fails with a ClientError or Disconnect exception. */
  public Future<ObjectNode> call(ProxyClient client, ObjectNode request) {
    long start = System.nanoTime();
    return caller.call(client, request, headers(client)).transform(ar -> {
      Future<ObjectNode> answer = ar.succeeded() ? interpret(ar.result())
          : Future.failedFuture(new ProxyException(ar.cause().getMessage() == null
              ? ar.cause().getClass().getSimpleName() : ar.cause().getMessage()));
      if (answer.failed() && answer.cause() instanceof ProxyException e) {
        LOG.warn("{} proxy {} failed for client {} user {}: {}", kind, name, client.id(), client.user(), e.getMessage());
        observer.observe(kind, System.nanoTime() - start, true);
        return Future.failedFuture(ClientError.INTERNAL.asException());
      }
      observer.observe(kind, System.nanoTime() - start, false);
      return answer;
    });
  }

  private static Future<ObjectNode> interpret(JsonNode answer) {
    if (answer == null || !answer.isObject()) {
      return Future.failedFuture(new ProxyException("answer is not a JSON object"));
    }
    JsonNode error = answer.get("error");
    if (error != null && !error.isNull()) {
      int code = error.path("code").asInt(0);
      if (code < 400 || code > 1999) {
        return Future.failedFuture(new ProxyException("error code " + code + " is outside 400-1999"));
      }
      return Future.failedFuture(new ClientError(code, error.path("message").asText(""),
          error.path("temporary").asBoolean(false)).asException());
    }
    JsonNode disconnect = answer.get("disconnect");
    if (disconnect != null && !disconnect.isNull()) {
      int code = disconnect.path("code").asInt(0);
      if (code < 4000 || code > 4999) {
        return Future.failedFuture(new ProxyException("disconnect code " + code + " is outside 4000-4999"));
      }
      return Future.failedFuture(new Disconnect(code, disconnect.path("reason").asText("")).asException());
    }
    JsonNode result = answer.get("result");
    if (result == null || result.isNull()) {
      return Future.succeededFuture(JsonCodec.object());
    }
    if (!result.isObject()) {
      return Future.failedFuture(new ProxyException("result is not an object"));
    }
    return Future.succeededFuture((ObjectNode) result);
  }

  /** The configured {@code http_headers} of the client's request, then {@code emulated_headers} where still absent. */
  private MultiMap headers(ProxyClient client) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    MultiMap real = client.requestHeaders();
    for (String h : options.getHttpHeaders()) {
      List<String> values = real.getAll(h);
      if (!values.isEmpty()) {
        out.add(h, values);
      }
    }
    Map<String, String> emulated = client.emulatedHeaders();
    for (String h : options.getEmulatedHeaders()) {
      if (out.contains(h)) {
        continue;
      }
      for (Map.Entry<String, String> e : emulated.entrySet()) {
        if (e.getKey().equalsIgnoreCase(h)) {
          out.add(h, e.getValue());
        }
      }
    }
    return out;
  }

  /**
   * The bytes of a payload field of a result ({@code info}, {@code data}): {@code b64<field>}
   * (base64, for binary payloads) when present, else the raw JSON of {@code <field>}; null when
   * neither is there. Bad base64 is the backend's fault: the call fails as any broken answer does.
   */
  public static byte[] raw(ObjectNode result, String field) {
    JsonNode b64 = result.get("b64" + field);
    if (b64 != null && !b64.isNull()) {
      try {
        return java.util.Base64.getDecoder().decode(b64.asText());
      } catch (IllegalArgumentException e) {
        throw ClientError.INTERNAL.asException();
      }
    }
    JsonNode n = result.get(field);
    return n == null || n.isNull() ? null : JsonCodec.toBytes(n);
  }

  /**
   * Puts a payload into a proxy request: as the raw JSON value {@code field} when it holds JSON,
   * else base64 in {@code b64<field>} (a Protobuf client's binary data), as Centrifugo names it.
   */
  public static void putPayload(ObjectNode request, String field, byte[] payload) {
    if (payload == null) {
      return;
    }
    if (io.rotor.protocol.JsonMessages.isJson(payload)) {
      request.putRawValue(field, JsonCodec.raw(payload));
    } else {
      request.put("b64" + field, java.util.Base64.getEncoder().encodeToString(payload));
    }
  }
}
