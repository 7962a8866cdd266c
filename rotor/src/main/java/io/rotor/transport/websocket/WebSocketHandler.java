package io.rotor.transport.websocket;

import io.rotor.client.Client;
import io.rotor.hub.Hub;
import io.rotor.limits.ConnectionSlot;
import io.rotor.node.Node;
import io.rotor.protocol.Wire;
import io.rotor.core.Disconnect;
import io.rotor.transport.OriginCheck;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.rotor.transport.websocket.impl.DirectWrites;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /connection/websocket}: checks the Origin before upgrading, then binds a {@link Client}
 * to the socket. Frames over {@code websocket.message_size_limit} close the socket with 1009.
 */
public final class WebSocketHandler implements Handler<RoutingContext> {

  private static final short MESSAGE_TOO_BIG = 1009;

  private final Node node;
  private final Hub hub;
  private final OriginCheck origins;

  public WebSocketHandler(Node node, Hub hub) {
    this(node, hub, new OriginCheck(node.options().getClient().getAllowedOrigins()));
  }

  /** With another origin rule (the admin UI's live view admits its own origin before this runs). */
  public WebSocketHandler(Node node, Hub hub, OriginCheck origins) {
    this.node = node;
    this.hub = hub;
    this.origins = origins;
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
    Wire wire = protobuf(ctx) ? Wire.PROTOBUF : Wire.JSON;
    ctx.request().toWebSocket().onSuccess(ws -> bind(ws, wire, slot)).onFailure(e -> {
      slot.release();
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(400).end();
      }
    });
  }

  /**
   * Protobuf when the client offered the {@code centrifuge-protobuf} subprotocol (the server then
   * selects it in the handshake), or asked with {@code ?format=protobuf} / {@code ?cf_protocol=protobuf}.
   */
  private static boolean protobuf(RoutingContext ctx) {
    String offered = ctx.request().getHeader("Sec-WebSocket-Protocol");
    if (offered != null) {
      for (String p : offered.split(",")) {
        if (p.trim().equals("centrifuge-protobuf")) {
          return true;
        }
      }
    }
    return "protobuf".equals(ctx.request().getParam("format")) || "protobuf".equals(ctx.request().getParam("cf_protocol"));
  }

  private void bind(ServerWebSocket upgraded, Wire wire, ConnectionSlot slot) {
    ServerWebSocket ws = DirectWrites.install(upgraded);
    ws.setWriteQueueMaxSize(node.options().getClient().getQueueMaxSize());
    Client client = new Client(node, hub, new WebSocketTransport(ws, wire));
    if (wire.binary()) {
      ws.binaryMessageHandler(b -> client.onFrame(b.getBytes()));
      // Protobuf frames are binary messages: a text frame cannot be a command.
      ws.textMessageHandler(t -> client.close(Disconnect.BAD_REQUEST));
    } else {
      ws.textMessageHandler(t -> client.onFrame(t.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      // This is the JSON protocol: a binary frame cannot be a command.
      ws.binaryMessageHandler(b -> client.close(Disconnect.BAD_REQUEST));
    }
    ws.closeHandler(v -> {
      slot.release();
      client.onTransportClosed();
    });
    ws.exceptionHandler(e -> {
      if (tooBig(e)) {
        client.onTransportClosed();
        ws.close(MESSAGE_TOO_BIG, "message size limit exceeded");
      }
    });
    client.start();
  }

  /**
   * A message over the limit: either one frame over the frame limit (Netty's decoder reports it with
   * status 1009) or several frames whose total is over the message limit (Vert.x's aggregator).
   */
  public static boolean tooBig(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
        && c.closeStatus().code() == MESSAGE_TOO_BIG) {
      return true;
    }
    return String.valueOf(e.getMessage()).contains("max message size");
  }
}
