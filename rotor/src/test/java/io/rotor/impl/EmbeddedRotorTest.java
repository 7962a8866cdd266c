package io.rotor.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.ChannelSubscriber;
import io.rotor.Rotor;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.hooks.ConnectReply;
import io.rotor.hooks.PublishReply;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotor embedded in a host application: its own Vert.x, router and meter registry; Rotor mounted
 * under {@code /rt}; a connect hook reading the host's session cookie; the typed server API; a
 * verticle subscribing server-side and resuming from a stored position.
 */
class EmbeddedRotorTest {

  private Vertx vertx;
  private Rotor rotor;
  private HttpServer http;
  private SimpleMeterRegistry registry;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    RotorOptions options = ConfigLoader.fromJson(TestNode.DEFAULT_CONFIG, Map.of());
    options.getClient().setAllowAnonymousConnectWithoutToken(false);
    Router router = Router.router(vertx);
    router.get("/hello").handler(ctx -> ctx.end("host"));
    rotor = Rotor.create(vertx, options)
        .meterRegistry(registry)
        .connectHook(event -> {
          String cookie = event.client().headers().get("Cookie");
          if (cookie == null || !cookie.startsWith("session=")) {
            return Future.failedFuture(new Disconnect(4001, "no session").asException());
          }
          return Future.succeededFuture(ConnectReply.user(cookie.substring("session=".length())));
        })
        .publishHook(event -> event.channel().startsWith("readonly")
            ? Future.failedFuture(new ClientError(403, "read only", false).asException())
            : Future.succeededFuture(new PublishReply(Buffer.buffer("{\"by\":\"" + event.client().user() + "\"}"), false)))
        .mount(router, "/rt");
    http = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
    port = http.actualPort();
    rotor.start().await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    rotor.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private RawClient client(String session) {
    return RawClient.open(vertx, port, "/rt/connection/websocket", new WebSocketClientOptions(),
        session == null ? Map.of() : Map.of("Cookie", "session=" + session));
  }

  @Test
  void hostRoutesStayAndRotorServesUnderThePrefix() {
    RawClient.Api api = new RawClient.Api(port);
    assertEquals("host", api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build()).body());
    assertEquals(200, api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rt/health")).build())
        .statusCode());
    // The server API under the prefix, with its key.
    var published = api.send(api.request("/rt/api/publish", "{\"channel\":\"news\",\"data\":{\"n\":1}}")
        .header("X-API-Key", TestNode.API_KEY).build());
    assertEquals(200, published.statusCode(), published.body());
    assertEquals(1, RawClient.json(published.body()).path("result").path("offset").asLong());
    assertEquals(401, api.send(api.request("/rt/api/publish", "{\"channel\":\"news\",\"data\":{}}").build()).statusCode());
  }

  @Test
  void connectHookAuthenticatesWithTheHostSession() throws Exception {
    try (RawClient alice = client("alice")) {
      String clientId = alice.connect(null).path("client").asText();
      alice.subscribe("news");
      // Typed publish reaches the SDK-facing client.
      StreamPosition pos = rotor.publish("news", Buffer.buffer("{\"text\":\"hi\"}")).await(10, TimeUnit.SECONDS);
      assertEquals(1, pos.offset());
      ObjectNode pub = alice.await(RawClient.pub("news"));
      assertEquals("hi", pub.path("push").path("pub").path("data").path("text").asText());
      // The hook's user is who presence shows.
      var presence = awaitPresence("news", 1);
      assertEquals("alice", presence.get(clientId).user());
      // A client publish goes through the publish hook, which replaced the data.
      ObjectNode reply = alice.call("publish", "{\"channel\":\"news\",\"data\":{\"text\":\"mine\"}}");
      assertTrue(reply.has("publish"), reply.toString());
      assertEquals("alice", alice.await(RawClient.pub("news")).path("push").path("pub").path("data").path("by").asText());
      // ... and refused where the hook says so, with its code (400-1999, as a proxy's).
      ObjectNode refused = alice.call("publish", "{\"channel\":\"readonly\",\"data\":{}}");
      assertEquals(403, refused.path("error").path("code").asInt(), refused.toString());
      // The host's registry holds Rotor's meters.
      assertEquals(1.0, registry.get("centrifugo_node_num_clients").gauge().value());
      // Typed disconnect, with the host's own code.
      rotor.disconnect("alice", new Disconnect(4005, "bye")).await(10, TimeUnit.SECONDS);
      assertEquals(4005, alice.awaitClose().code());
    }
  }

  private Map<String, io.rotor.core.ClientInfo> awaitPresence(String channel, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      var p = rotor.presence(channel).await(10, TimeUnit.SECONDS);
      if (p.size() == n || System.currentTimeMillis() > deadline) {
        return p;
      }
      Thread.sleep(20); // presence is written just after the subscribe reply: poll for it
    }
  }

  @Test
  void withoutASessionTheHookClosesTheConnection() {
    try (RawClient stranger = client(null)) {
      stranger.sendAsync("{\"id\":1,\"connect\":{}}");
      assertEquals(4001, stranger.awaitClose().code());
    }
  }

  @Test
  void typedApiErrorsAreTheApiCodes() throws Exception {
    ExecutionException unknown = assertThrows(ExecutionException.class,
        () -> rotor.publish("missing:x", Buffer.buffer("{}")).toCompletionStage().toCompletableFuture().get());
    assertEquals(102, ((ClientError.Exception) unknown.getCause()).error().code());
    ExecutionException noPresence = assertThrows(ExecutionException.class,
        () -> rotor.presence("nohistory:x").toCompletionStage().toCompletableFuture().get());
    assertEquals(108, ((ClientError.Exception) noPresence.getCause()).error().code());
    rotor.publish("news", Buffer.buffer("{\"a\":1}")).await(10, TimeUnit.SECONDS);
    rotor.publish("news", Buffer.buffer("{\"a\":2}")).await(10, TimeUnit.SECONDS);
    var history = rotor.history("news", new HistoryFilter(null, HistoryFilter.NO_LIMIT, false)).await(10, TimeUnit.SECONDS);
    assertEquals(2, history.publications().size());
    assertEquals(2, history.top().offset());
    var each = rotor.broadcast(List.of("news", "missing:y"), Buffer.buffer("{\"b\":1}")).await(10, TimeUnit.SECONDS);
    assertEquals(3, each.get(0).result().offset());
    assertTrue(each.get(1).failed());
    assertThrows(IllegalStateException.class, () -> rotor.meterRegistry(new SimpleMeterRegistry()));
  }

  @Test
  void aVerticleSubscribesAndResumesFromItsStoredPosition() throws Exception {
    SubscriberVerticle first = new SubscriberVerticle(rotor, "news", null);
    String id = vertx.deployVerticle(first).await(10, TimeUnit.SECONDS);
    assertFalse(first.subscribed.take().recovered());
    for (int i = 1; i <= 5; i++) {
      rotor.publish("news", Buffer.buffer("{\"i\":" + i + "}")).await(10, TimeUnit.SECONDS);
    }
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      offsets.add(poll(first).offset());
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets);
    StreamPosition stored = first.subscriber.position();
    assertEquals(5, stored.offset());
    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    // Published while the consumer is away.
    for (int i = 6; i <= 8; i++) {
      rotor.publish("news", Buffer.buffer("{\"i\":" + i + "}")).await(10, TimeUnit.SECONDS);
    }
    SubscriberVerticle again = new SubscriberVerticle(rotor, "news", stored);
    vertx.deployVerticle(again).await(10, TimeUnit.SECONDS);
    ChannelSubscriber.Subscribed s = again.subscribed.take();
    assertTrue(s.recovered() && s.wasRecovering(), s.toString());
    rotor.publish("news", Buffer.buffer("{\"i\":9}")).await(10, TimeUnit.SECONDS);
    offsets.clear();
    for (int i = 0; i < 4; i++) {
      offsets.add(poll(again).offset());
    }
    assertEquals(List.of(6L, 7L, 8L, 9L), offsets);
    assertEquals(null, again.received.poll(200, TimeUnit.MILLISECONDS), "nothing twice");
    assertTrue(first.offContext.isEmpty() && again.offContext.isEmpty(), "handlers ran on the verticle's context");
  }

  @Test
  void aPositionOutsideTheHistoryWindowIsNotRecovered() throws Exception {
    for (int i = 1; i <= 8; i++) {
      rotor.publish("small:c", Buffer.buffer("{\"i\":" + i + "}")).await(10, TimeUnit.SECONDS);
    }
    String epoch = rotor.history("small:c", HistoryFilter.topOnly()).await(10, TimeUnit.SECONDS).top().epoch();
    SubscriberVerticle late = new SubscriberVerticle(rotor, "small:c", new StreamPosition(1, epoch));
    vertx.deployVerticle(late).await(10, TimeUnit.SECONDS);
    ChannelSubscriber.Subscribed s = late.subscribed.take();
    assertFalse(s.recovered(), s.toString());
    assertEquals(8, s.position().offset());
    rotor.publish("small:c", Buffer.buffer("{\"i\":9}")).await(10, TimeUnit.SECONDS);
    assertEquals(9, poll(late).offset());
  }

  private static Publication poll(SubscriberVerticle v) throws InterruptedException {
    Publication p = v.received.poll(10, TimeUnit.SECONDS);
    assertNotNull(p, "no publication within 10 s");
    return p;
  }
}
