package io.rotor.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;

/** POSTs the request as JSON to the backend URL, as Centrifugo's HTTP proxy does. */
final class HttpProxyCaller implements ProxyCaller {

  private final WebClient client;
  private final String endpoint;
  private final long timeoutMs;

  HttpProxyCaller(WebClient client, String endpoint, long timeoutMs) {
    this.client = client;
    this.endpoint = endpoint;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<JsonNode> call(ObjectNode request, MultiMap headers) {
    return client.postAbs(endpoint)
        .putHeaders(headers)
        .putHeader("Content-Type", "application/json")
        .timeout(timeoutMs)
        .sendBuffer(Buffer.buffer(JsonCodec.toBytes(request)))
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture(new ProxyException("HTTP status " + response.statusCode()));
          }
          Buffer body = response.body();
          if (body == null) {
            return Future.failedFuture(new ProxyException("empty body"));
          }
          return ProxyCaller.parse(body.getBytes());
        });
  }
}
