package io.rotor.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A raw protocol-v2 JSON client for tests: it writes text frames exactly as given and records every
 * message the server sends (each text frame split on {@code '\n'} and parsed). Tests wait for "the
 * next message matching a predicate" or for the close frame, always with a timeout.
 *
 * <p>Messages that a wait skips are not lost: they stay in a backlog and later waits see them first,
 * in arrival order. When the connection closes, every later wait that finds no match fails at once
 * with the close code instead of running into its timeout.
 */
public final class RawClient implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(5);
  public static final ObjectMapper JSON = new ObjectMapper();

  /** How the connection ended: the close frame's status and reason (-1 when there was none). */
  public record Close(int code, String reason) {
  }

  /** Marks the end of the stream in the queue. */
  private static final ObjectNode CLOSED = JSON.createObjectNode();

  // Kept in a field: a Vert.x 5 client that is no longer referenced can be collected mid-handshake.
  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<ObjectNode> incoming = new LinkedBlockingQueue<>();
  private final ArrayDeque<ObjectNode> backlog = new ArrayDeque<>();
  private final List<String> frames = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean autoPong;

  private RawClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
  }

  // ---- connecting ---------------------------------------------------------------------------

  public static RawClient open(Vertx vertx, int port) {
    return open(vertx, port, new WebSocketClientOptions());
  }

  /** Opens {@code ws://127.0.0.1:<port>/connection/websocket} (no Origin header) and starts recording. */
  public static RawClient open(Vertx vertx, int port, WebSocketClientOptions options) {
    return open(vertx, port, options, Map.of());
  }

  /** As above, with extra headers on the upgrade request. */
  public static RawClient open(Vertx vertx, int port, WebSocketClientOptions options, Map<String, String> headers) {
    return open(vertx, port, "/connection/websocket", options, headers);
  }

  /** At another path (Rotor mounted under a prefix on a host's router). */
  public static RawClient open(Vertx vertx, int port, String uri, WebSocketClientOptions options,
      Map<String, String> headers) {
    options.setMaxFrameSize(Math.max(options.getMaxFrameSize(), 16 * 1024 * 1024))
        .setMaxMessageSize(Math.max(options.getMaxMessageSize(), 64 * 1024 * 1024));
    WebSocketClient client = vertx.createWebSocketClient(options);
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(port).setURI(uri).setAllowOriginHeader(false);
    headers.forEach(connect::addHeader);
    CompletableFuture<RawClient> opened = new CompletableFuture<>();
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        opened.completeExceptionally(ar.cause());
        return;
      }
      // Handlers are set on the socket's event loop before it delivers anything.
      RawClient raw = new RawClient(client, ar.result());
      raw.bind();
      opened.complete(raw);
    });
    try {
      return opened.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while opening the websocket", e);
    } catch (ExecutionException | TimeoutException e) {
      client.close();
      throw new AssertionError("websocket did not open on port " + port, e);
    }
  }

  private void bind() {
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> onText("<binary " + b.length() + " bytes>"));
    ws.exceptionHandler(e -> {
      // Errors are followed by a close; nothing to record.
    });
    ws.closeHandler(v -> {
      Short code = ws.closeStatusCode();
      closed.complete(new Close(code == null ? -1 : code, ws.closeReason()));
      incoming.add(CLOSED);
    });
  }

  private void onText(String frame) {
    frames.add(frame);
    for (String line : frame.split("\n", -1)) {
      ObjectNode msg;
      try {
        JsonNode node = JSON.readTree(line);
        msg = node instanceof ObjectNode o ? o : JSON.createObjectNode().put("__unparsed", line);
      } catch (JsonProcessingException e) {
        msg = JSON.createObjectNode().put("__unparsed", line);
      }
      if (autoPong && msg.isEmpty()) {
        ws.writeTextMessage("{}");
      }
      incoming.add(msg);
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  /** Sends one text frame as is (it may hold several newline-separated commands). */
  public RawClient send(String frame) {
    await(ws.writeTextMessage(frame).toCompletionStage().toCompletableFuture(), "send");
    return this;
  }

  /** Sends one text frame without waiting for the write (for load generators on an event loop). */
  public void sendAsync(String frame) {
    ws.writeTextMessage(frame);
  }

  /**
   * Sends one text message split into several WebSocket frames (a text frame, then continuations).
   * The writes are not awaited: the server may close the connection before the last fragment.
   */
  public RawClient sendFragmented(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      WebSocketFrame frame = i == 0 ? WebSocketFrame.textFrame(parts[i], last)
          : WebSocketFrame.continuationFrame(Buffer.buffer(parts[i]), last);
      ws.writeFrame(frame);
    }
    return this;
  }

  public RawClient sendBinary(byte[] data) {
    await(ws.writeBinaryMessage(Buffer.buffer(data)).toCompletionStage().toCompletableFuture(), "send binary");
    return this;
  }

  /** The headers of the server's handshake response (101). */
  public io.vertx.core.MultiMap handshakeHeaders() {
    return ws.headers();
  }

  /** The next command id (1, 2, ...). */
  public int nextId() {
    return ids.incrementAndGet();
  }

  /** Sends {@code {"id":N,"<method>":<body>}} and returns its reply (the message with that id). */
  public ObjectNode call(String method, String body) {
    int id = nextId();
    send("{\"id\":" + id + ",\"" + method + "\":" + body + "}");
    return reply(id);
  }

  public ObjectNode call(String method, JsonNode body) {
    return call(method, body.toString());
  }

  /** Connects with a token ({@code null}: none) and returns the connect result; fails on an error reply. */
  public ObjectNode connect(String token) {
    ObjectNode body = JSON.createObjectNode().put("name", "raw-test");
    if (token != null) {
      body.put("token", token);
    }
    ObjectNode reply = call("connect", body);
    if (!reply.has("connect")) {
      throw new AssertionError("connect failed: " + reply);
    }
    return (ObjectNode) reply.get("connect");
  }

  /** Subscribes and returns the subscribe result; fails on an error reply. */
  public ObjectNode subscribe(String channel) {
    ObjectNode reply = call("subscribe", JSON.createObjectNode().put("channel", channel));
    if (!reply.has("subscribe")) {
      throw new AssertionError("subscribe to " + channel + " failed: " + reply);
    }
    return (ObjectNode) reply.get("subscribe");
  }

  /** Answers every server ping ({@code {}}) with a pong ({@code {}}). */
  public RawClient autoPong(boolean on) {
    this.autoPong = on;
    return this;
  }

  /** Stops reading from the socket: the server's writes back up into TCP buffers. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  // ---- receiving ----------------------------------------------------------------------------

  public ObjectNode reply(long id) {
    return await(m -> m.path("id").asLong(0) == id);
  }

  public ObjectNode await(Predicate<ObjectNode> match) {
    return await(match, TIMEOUT);
  }

  /**
   * Returns (and consumes) the first not yet consumed message that matches; waits for it up to the
   * timeout. Non-matching messages are kept for later waits.
   */
  public ObjectNode await(Predicate<ObjectNode> match, Duration timeout) {
    for (Iterator<ObjectNode> it = backlog.iterator(); it.hasNext(); ) {
      ObjectNode m = it.next();
      if (m == CLOSED) {
        throw closedBeforeMatch();
      }
      if (match.test(m)) {
        it.remove();
        return m;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      ObjectNode m;
      try {
        m = left <= 0 ? null : incoming.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (m == null) {
        throw new AssertionError("no matching message within " + timeout.toMillis() + " ms; unconsumed: "
            + summary(backlog));
      }
      if (m == CLOSED) {
        backlog.add(m);
        throw closedBeforeMatch();
      }
      if (match.test(m)) {
        return m;
      }
      backlog.add(m);
    }
  }

  /** The next unconsumed message of any kind. */
  public ObjectNode next() {
    return await(m -> true);
  }

  /** Every message received so far that was not consumed by a wait, in arrival order (pings included). */
  public List<ObjectNode> unconsumed() {
    incoming.drainTo(backlog);
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode m : backlog) {
      if (m != CLOSED) {
        out.add(m);
      }
    }
    return out;
  }

  /** Discards every message received so far that no wait consumed; returns how many (for load generators). */
  public int discardReceived() {
    incoming.drainTo(backlog);
    int n = 0;
    for (Iterator<ObjectNode> it = backlog.iterator(); it.hasNext(); ) {
      if (it.next() != CLOSED) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  /** The raw text frames received so far. */
  public List<String> frames() {
    synchronized (frames) {
      return new ArrayList<>(frames);
    }
  }

  public Close awaitClose() {
    return awaitClose(TIMEOUT);
  }

  public Close awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("connection not closed within " + timeout.toMillis() + " ms; unconsumed: "
          + summary(unconsumed()));
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Completes when the connection closes (to time it without blocking on each client in turn). */
  public java.util.concurrent.CompletionStage<Close> onClose() {
    return closed.minimalCompletionStage();
  }

  private AssertionError closedBeforeMatch() {
    Close c = closed.getNow(null);
    return new AssertionError("connection closed (" + c + ") before a matching message; unconsumed: "
        + summary(backlog));
  }

  private static String summary(Iterable<ObjectNode> messages) {
    StringBuilder sb = new StringBuilder("[");
    int n = 0;
    for (ObjectNode m : messages) {
      if (m == CLOSED) {
        continue;
      }
      if (n++ > 0) {
        sb.append(", ");
      }
      if (n > 20) {
        sb.append("...");
        break;
      }
      String s = m.toString();
      sb.append(s.length() > 300 ? s.substring(0, 300) + "..." : s);
    }
    return sb.append(']').toString();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close();
    }
    client.close();
  }

  private static <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError(what + " failed", e);
    }
  }

  // ---- message predicates -------------------------------------------------------------------

  /** A server ping: an empty message. */
  public static boolean isPing(ObjectNode m) {
    return m.isEmpty();
  }

  /** A push of the given kind ({@code pub}, {@code join}, {@code subscribe}, ...) on a channel. */
  public static Predicate<ObjectNode> push(String channel, String kind) {
    return m -> m.has("push") && channel.equals(m.get("push").path("channel").asText()) && m.get("push").has(kind);
  }

  public static Predicate<ObjectNode> pub(String channel) {
    return push(channel, "pub");
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** An HS256 connection token for a user, signed with {@link TestNode#SECRET}, valid for an hour. */
  public static String token(String user) {
    return token(Map.of("sub", user, "exp", System.currentTimeMillis() / 1000 + 3600));
  }

  public static String token(Map<String, ?> claims) {
    return token(claims, TestNode.SECRET);
  }

  /** An HS256 JWT with the given claims and secret (javax.crypto HMAC-SHA256). */
  public static String token(Map<String, ?> claims, String secret) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    try {
      String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
      String payload = b64.encodeToString(JSON.writeValueAsBytes(claims));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signingInput = header + "." + payload;
      String signature = b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
      return signingInput + "." + signature;
    } catch (JsonProcessingException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- configs ------------------------------------------------------------------------------

  /** {@link TestNode#DEFAULT_CONFIG} with the given JSON object deep-merged over it. */
  public static String config(String overrides) {
    try {
      ObjectNode base = (ObjectNode) JSON.readTree(TestNode.DEFAULT_CONFIG);
      merge(base, (ObjectNode) JSON.readTree(overrides));
      return base.toString();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** {@code overrides} deep-merged over {@code base} (both JSON objects). */
  public static String merge(String base, String overrides) {
    try {
      ObjectNode b = (ObjectNode) JSON.readTree(base);
      merge(b, (ObjectNode) JSON.readTree(overrides));
      return b.toString();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    from.fields().forEachRemaining(e -> {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode v) {
        merge(o, v);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    });
  }

  /** Parses JSON text into an ObjectNode (for building expected values and request bodies). */
  public static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  // ---- server API -----------------------------------------------------------------------------

  /** The HTTP server API of a node, called with {@link TestNode#API_KEY} (java.net.http). */
  public static final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    private final int port;

    public Api(int port) {
      this.port = port;
    }

    public HttpRequest.Builder request(String path, String body) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Sends a request as built by the caller; returns status and body. */
    public HttpResponse<String> send(HttpRequest request) {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        throw new AssertionError("API request failed: " + request.uri(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    /** {@code POST /api/<method>} with the API key; asserts HTTP 200 and returns the parsed body. */
    public ObjectNode call(String method, String body) {
      HttpResponse<String> r = send(request("/api/" + method, body).header("X-API-Key", TestNode.API_KEY).build());
      if (r.statusCode() != 200) {
        throw new AssertionError("API " + method + " answered HTTP " + r.statusCode() + ": " + r.body());
      }
      return json(r.body());
    }

    /** Like {@link #call} but asserts success and returns {@code result}. */
    public ObjectNode result(String method, String body) {
      ObjectNode r = call(method, body);
      if (!r.has("result")) {
        throw new AssertionError("API " + method + " " + body + " failed: " + r);
      }
      return (ObjectNode) r.get("result");
    }

    /** Publishes and returns the publication's offset. */
    public long publish(String channel, String data) {
      return result("publish", "{\"channel\":" + JSON.valueToTree(channel) + ",\"data\":" + data + "}")
          .path("offset").asLong();
    }

    /** Publishes without waiting for the answer. */
    public CompletableFuture<HttpResponse<String>> publishAsync(String channel, String data) {
      HttpRequest r = request("/api/publish", "{\"channel\":" + JSON.valueToTree(channel) + ",\"data\":" + data + "}")
          .header("X-API-Key", TestNode.API_KEY).build();
      return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }
  }
}
