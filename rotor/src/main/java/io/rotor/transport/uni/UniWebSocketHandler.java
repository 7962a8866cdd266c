package io.rotor.transport.uni;

import io.rotor.client.Client;
import io.rotor.hub.Hub;
import io.rotor.limits.ConnectionSlot;
import io.rotor.node.Node;
import io.rotor.core.Disconnect;
import io.rotor.protocol.Command;
import java.util.List;
import io.rotor.transport.OriginCheck;
import io.rotor.transport.websocket.WebSocketHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.rotor.transport.websocket.impl.DirectWrites;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /connection/uni_websocket}: the client sends one ConnectRequest (the first text message,
 * or the {@code cf_connect} query parameter) and then only listens. Later messages are ignored; a
 * malformed connect or a binary message closes with 3501.
 */
public final class UniWebSocketHandler implements Handler<RoutingContext> {

  private final Node node;
  private final Hub hub;
  private final OriginCheck origins;

  public UniWebSocketHandler(Node node, Hub hub) {
    this.node = node;
    this.hub = hub;
    this.origins = new OriginCheck(node.options().getClient().getAllowedOrigins());
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!origins.allowed(ctx.request().getHeader(HttpHeaders.ORIGIN))) {
      ctx.response().setStatusCode(403).end("Forbidden origin");
      return;
    }
    ConnectionSlot slot = ConnectionSlot.admit(node.connectionLimiter(), ctx);
    if (slot == null) {
      return;
    }
    String cfConnect = ctx.request().getParam("cf_connect");
    ctx.request().toWebSocket().onSuccess(ws -> bind(ws, cfConnect, slot)).onFailure(e -> {
      slot.release();
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(400).end();
      }
    });
  }

  private void bind(ServerWebSocket upgraded, String cfConnect, ConnectionSlot slot) {
    ServerWebSocket ws = DirectWrites.install(upgraded);
    ws.setWriteQueueMaxSize(node.options().getClient().getQueueMaxSize());
    Client client = new Client(node, hub, new UniWebSocketTransport(ws));
    boolean[] connectSeen = {false};
    Handler<String> connect = request -> {
      if (connectSeen[0]) {
        return;
      }
      connectSeen[0] = true;
      // The server-wide frame limit is websocket.message_size_limit; uni_websocket may be stricter.
      int limit = node.options().getUniWebsocket().getMessageSizeLimit();
      Command command = request.length() > limit ? null : Command.uniConnect(request);
      if (command == null) {
        client.close(Disconnect.BAD_REQUEST);
      } else {
        client.onCommands(List.of(command));
      }
    };
    ws.textMessageHandler(connect);
    ws.binaryMessageHandler(b -> client.close(Disconnect.BAD_REQUEST));
    ws.closeHandler(v -> {
      slot.release();
      client.onTransportClosed();
    });
    ws.exceptionHandler(e -> {
      client.onTransportClosed();
      if (WebSocketHandler.tooBig(e)) {
        ws.close((short) 1009, "message size limit exceeded");
      }
    });
    client.start();
    if (cfConnect != null) {
      connect.handle(cfConnect);
    }
  }
}
