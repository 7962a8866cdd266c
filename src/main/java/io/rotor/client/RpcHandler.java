package io.rotor.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.rotor.proxy.Proxy;
import io.vertx.core.Future;

/** {@code rpc}: answered by the RPC proxy of the method's namespace; without one, 104 method not found. */
final class RpcHandler implements CommandHandler {

  @Override
  public Future<JsonNode> handle(Client client, Command cmd) {
    String method = cmd.text("method");
    Proxy proxy = client.node().proxies().rpc(method);
    if (proxy == null) {
      return Results.error(ClientError.METHOD_NOT_FOUND);
    }
    ObjectNode request = Proxy.request(client, true).put("method", method);
    JsonNode data = cmd.node("data");
    if (data != null) {
      request.set("data", data);
    }
    return proxy.call(client, request).map(result -> {
      ObjectNode reply = JsonCodec.object();
      JsonNode out = result.get("data");
      if (out != null && !out.isNull()) {
        reply.set("data", out);
      }
      return reply;
    });
  }
}
