package io.rotor.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Delivers one proxy request to the backend and returns its JSON answer, or fails (timeout,
 * unreachable, not JSON). One implementation per way of reaching a backend: HTTP, the event bus,
 * or a Java hook of an embedding application (see {@link Proxies#hooks}).
 */
public interface ProxyCaller {

  Future<JsonNode> call(ObjectNode request, MultiMap headers);

  /**
   * The call for one client; {@code headers} are those the proxy's options forward. An in-process
   * hook reads the client itself (all its request headers: the host's session cookie).
   */
  default Future<JsonNode> call(ProxyClient client, ObjectNode request, MultiMap headers) {
    return call(request, headers);
  }

  /** The backend's answer as JSON, or a failed future saying it was not JSON. */
  static Future<JsonNode> parse(byte[] answer) {
    try {
      return Future.succeededFuture(io.rotor.protocol.JsonCodec.MAPPER.readTree(answer));
    } catch (java.io.IOException e) {
      return Future.failedFuture(new ProxyException("answer is not JSON"));
    }
  }
}
