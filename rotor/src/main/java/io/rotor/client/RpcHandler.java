package io.rotor.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientError;
import io.rotor.protocol.Command;
import io.rotor.protocol.Protos;
import io.rotor.protocol.pb.RPCRequest;
import io.rotor.protocol.pb.RPCResult;
import io.rotor.proxy.Proxy;
import io.vertx.core.Future;

/**
 * {@code rpc}: answered by the RPC proxy of the method's namespace; 104 method not found when the
 * method has none, 108 not available when no RPC proxy is configured at all (Centrifugo's answers).
 */
final class RpcHandler implements CommandHandler {

  @Override
  public Future<RPCResult> handle(Client client, Command cmd) {
    RPCRequest req = cmd.pb().getRpc();
    if (!client.node().proxies().rpcEnabled()) {
      return Results.error(ClientError.NOT_AVAILABLE);
    }
    Proxy proxy = client.node().proxies().rpc(req.getMethod());
    if (proxy == null) {
      return Results.error(ClientError.METHOD_NOT_FOUND);
    }
    ObjectNode request = Proxy.request(client, true).put("method", req.getMethod());
    Proxy.putPayload(request, "data", Protos.payload(req.getData()));
    return proxy.call(client, request).map(result -> {
      byte[] out = Proxy.raw(result, "data");
      return out == null ? RPCResult.getDefaultInstance() : RPCResult.newBuilder().setData(Protos.bytes(out)).build();
    });
  }
}
