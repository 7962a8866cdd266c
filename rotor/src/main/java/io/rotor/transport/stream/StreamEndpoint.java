package io.rotor.transport.stream;

import io.rotor.client.Client;
import io.rotor.hub.Hub;
import io.rotor.limits.ConnectionSlot;
import io.rotor.node.Node;
import io.rotor.protocol.Command;
import io.rotor.protocol.Wire;
import io.rotor.core.Disconnect;
import io.rotor.transport.Cors;
import io.rotor.transport.OriginCheck;
import io.rotor.transport.emulation.EmulationSessions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The endpoints whose replies stream down one HTTP response: {@code /connection/http_stream} and
 * {@code /connection/sse} (bidirectional emulation: later commands arrive through
 * {@code /emulation}), and {@code /connection/uni_http_stream} and {@code /connection/uni_sse}.
 *
 * <p>The connect arrives in the POST body, or for SSE also in the {@code cf_connect} query
 * parameter (EventSource can only GET). An http_stream POST with {@code application/octet-stream}
 * carries a varint-delimited Protobuf connect Command and gets a varint-delimited octet stream
 * back, as in Centrifugo; everything else is JSON. Bad input is answered before any stream opens: 400 for a
 * missing or malformed connect, or a Protobuf content type anywhere but http_stream, 405 for
 * another method, 413 for an oversized connect (the body limit itself is the BodyHandler's).
 */
public final class StreamEndpoint implements Handler<RoutingContext> {

  /** The four flavours: how messages are framed, and whether the client sends commands later. */
  public enum Kind {
    HTTP_STREAM("http_stream", false, false),
    SSE("sse", true, false),
    UNI_HTTP_STREAM("uni_http_stream", false, true),
    UNI_SSE("uni_sse", true, true);

    private final String transportName;
    private final boolean events;
    private final boolean unidirectional;

    Kind(String transportName, boolean events, boolean unidirectional) {
      this.transportName = transportName;
      this.events = events;
      this.unidirectional = unidirectional;
    }

    public String transportName() {
      return transportName;
    }

    boolean events() {
      return events;
    }

    boolean unidirectional() {
      return unidirectional;
    }
  }

  private final Node node;
  private final Hub hub;
  private final Kind kind;
  private final int maxConnectSize;
  private final EmulationSessions sessions;
  private final Cors cors;

  /** {@code sessions} is where emulation streams register for {@code /emulation}; null for uni. */
  public StreamEndpoint(Node node, Hub hub, Kind kind, int maxConnectSize, EmulationSessions sessions) {
    this.node = node;
    this.hub = hub;
    this.kind = kind;
    this.maxConnectSize = maxConnectSize;
    this.sessions = sessions;
    this.cors = new Cors(new OriginCheck(node.options().getClient().getAllowedOrigins()),
        kind.events ? "GET, POST, OPTIONS" : "POST, OPTIONS");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!cors.admit(ctx, kind.events ? Set.of(HttpMethod.GET, HttpMethod.POST) : Set.of(HttpMethod.POST))) {
      return;
    }
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.POST && protobuf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      if (kind != Kind.HTTP_STREAM) {
        reject(ctx, 400, "only the JSON protocol is supported on this endpoint");
        return;
      }
      byte[] connect = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      List<Command> commands = commands(Wire.PROTOBUF, connect);
      if (commands == null) {
        reject(ctx, 400, "malformed connect request");
        return;
      }
      admitAndOpen(ctx, Wire.PROTOBUF, commands);
      return;
    }
    String connect;
    if (method == HttpMethod.GET) {
      connect = ctx.request().getParam("cf_connect");
      if (connect == null) {
        reject(ctx, 400, "cf_connect query parameter required");
        return;
      }
      if (connect.length() > maxConnectSize) {
        reject(ctx, 413, "connect request too large");
        return;
      }
    } else {
      connect = ctx.body().asString();
    }
    List<Command> commands;
    if (kind.unidirectional) {
      Command c = Command.uniConnect(connect);
      commands = c == null ? null : List.of(c);
    } else {
      commands = connect == null || connect.isBlank() ? null
          : commands(Wire.JSON, connect.getBytes(StandardCharsets.UTF_8));
    }
    if (commands == null) {
      reject(ctx, 400, "malformed connect request");
      return;
    }
    admitAndOpen(ctx, kind.unidirectional ? Wire.UNI_JSON : Wire.JSON, commands);
  }

  /** Takes a connection slot (503 at the limit) and opens the stream. */
  private void admitAndOpen(RoutingContext ctx, Wire wire, List<Command> connect) {
    ConnectionSlot slot = ConnectionSlot.admit(node.connectionLimiter(), ctx);
    if (slot != null) {
      open(ctx, wire, connect, slot);
    }
  }

  /** Centrifugo: {@code application/octet-stream} means Protobuf, anything else JSON. */
  private static boolean protobuf(String type) {
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
  }

  /** The commands of the connect body, decoded once before the stream opens; null when malformed. */
  private static List<Command> commands(Wire wire, byte[] connect) {
    try {
      List<Command> commands = wire.decode(connect);
      return commands.isEmpty() ? null : commands;
    } catch (Disconnect.Exception e) {
      return null;
    }
  }

  private static void reject(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(message);
  }

  private void open(RoutingContext ctx, Wire wire, List<Command> connect, ConnectionSlot slot) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, kind.events ? "text/event-stream; charset=utf-8"
            : wire.binary() ? "application/octet-stream" : "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache, no-store, must-revalidate, max-age=0")
        .putHeader("Pragma", "no-cache")
        .putHeader(HttpHeaders.EXPIRES, "0")
        // Tells nginx not to buffer the stream.
        .putHeader("X-Accel-Buffering", "no");
    response.setWriteQueueMaxSize(node.options().getClient().getQueueMaxSize());
    String session = UUID.randomUUID().toString();
    // The session goes as soon as the stream is ending: a /emulation request racing the last write
    // of a closed stream gets 404, not 204 for a command no one will read.
    Runnable forget = () -> {
      if (sessions != null) {
        sessions.remove(session);
      }
    };
    Client client = new Client(node, hub, new StreamTransport(response, kind, session, wire, forget));
    if (sessions != null) {
      sessions.add(session, client);
    }
    Runnable closed = () -> {
      slot.release();
      forget.run();
      client.onTransportClosed();
    };
    response.closeHandler(v -> closed.run());
    response.endHandler(v -> closed.run());
    // Headers go out now: EventSource reports the stream open only once they arrive.
    response.write(kind.events ? "\r\n" : "");
    client.start();
    client.onCommands(connect);
  }
}
