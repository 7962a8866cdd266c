package io.rotor.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.ConnectingEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.SubscriptionEventListener;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real centrifuge-java SDK (Protobuf only, OkHttp WebSocket) against a real node: connect with
 * a token, subscribe, receive server API publications, publish, and recover after a reconnect.
 */
class CentrifugeJavaTest {

  private static final long WAIT_SECONDS = 10;
  private static TestNode node;
  private static RawClient.Api api;

  private Client client;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new RawClient.Api(node.port());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @AfterEach
  void closeClient() throws InterruptedException {
    if (client != null) {
      client.disconnect();
      client.close(5000);
    }
  }

  /** What a client and its subscription saw, in order. */
  private static final class Events {
    final CompletableFuture<ConnectedEvent> connected = new CompletableFuture<>();
    final BlockingQueue<ConnectingEvent> connecting = new LinkedBlockingQueue<>();
    final BlockingQueue<SubscribedEvent> subscribed = new LinkedBlockingQueue<>();
    final BlockingQueue<PublicationEvent> publications = new LinkedBlockingQueue<>();
    final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
  }

  private Subscription connectAndSubscribe(String user, String channel, Events events, int minReconnectDelay) throws Exception {
    Options opts = new Options();
    opts.setToken(RawClient.token(user));
    opts.setMinReconnectDelay(minReconnectDelay);
    client = new Client("ws://127.0.0.1:" + node.port() + "/connection/websocket", opts, new EventListener() {
      @Override
      public void onConnected(Client c, ConnectedEvent e) {
        events.connected.complete(e);
      }

      @Override
      public void onConnecting(Client c, ConnectingEvent e) {
        events.connecting.add(e);
      }
    });
    Subscription sub = client.newSubscription(channel, new SubscriptionEventListener() {
      @Override
      public void onSubscribed(Subscription s, SubscribedEvent e) {
        events.subscribed.add(e);
      }

      @Override
      public void onPublication(Subscription s, PublicationEvent e) {
        events.publications.add(e);
      }

      @Override
      public void onError(Subscription s, io.github.centrifugal.centrifuge.SubscriptionErrorEvent e) {
        events.errors.add(String.valueOf(e.getError()));
      }
    });
    sub.subscribe();
    client.connect();
    ConnectedEvent connected = events.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(connected.getClient().length() > 0, "the connect reply names the client");
    SubscribedEvent first = events.subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(first, () -> "not subscribed; errors: " + events.errors);
    return sub;
  }

  private static PublicationEvent next(Events events) throws InterruptedException {
    PublicationEvent p = events.publications.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(p, "no publication arrived");
    return p;
  }

  @Test
  void connectsSubscribesAndReceivesApiPublications() throws Exception {
    Events events = new Events();
    connectAndSubscribe("java-1", "pb-basic", events, 500);

    long offset = api.publish("pb-basic", "{\"text\":\"hello from the API\"}");
    PublicationEvent p = next(events);
    assertEquals("{\"text\":\"hello from the API\"}", new String(p.getData(), StandardCharsets.UTF_8));
    assertEquals(offset, p.getOffset());

    // The SDK publishes bytes; the API's history returns them as the JSON value they hold.
    CompletableFuture<Throwable> published = new CompletableFuture<>();
    client.publish("pb-basic", "{\"text\":\"from java\"}".getBytes(StandardCharsets.UTF_8),
        (err, r) -> published.complete(err));
    assertEquals(null, published.get(WAIT_SECONDS, TimeUnit.SECONDS));
    PublicationEvent own = next(events);
    assertArrayEquals("{\"text\":\"from java\"}".getBytes(StandardCharsets.UTF_8), own.getData());
    assertEquals("java-1", own.getInfo().getUser());
    assertEquals(offset + 1, own.getOffset());
    var history = api.result("history", "{\"channel\":\"pb-basic\",\"limit\":10}");
    assertEquals("from java", history.get("publications").get(1).get("data").get("text").asText());
  }

  @Test
  void reconnectRecoversTheMissedPublications() throws Exception {
    Events events = new Events();
    // A reconnect delay long enough to publish while the client is away.
    connectAndSubscribe("java-2", "pb-recovery", events, 1500);
    api.publish("pb-recovery", "{\"n\":1}");
    assertEquals(1, next(events).getOffset());

    api.result("disconnect", "{\"user\":\"java-2\",\"disconnect\":{\"code\":3001,\"reason\":\"test reconnect\"}}");
    assertNotNull(events.connecting.poll(WAIT_SECONDS, TimeUnit.SECONDS), "the client did not notice the disconnect");
    api.publish("pb-recovery", "{\"n\":2}");
    api.publish("pb-recovery", "{\"n\":3}");

    SubscribedEvent resubscribed = events.subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(resubscribed, "not resubscribed after the reconnect");
    assertTrue(resubscribed.wasRecovering(), "the SDK asked for recovery");
    assertTrue(resubscribed.getRecovered(), "the missed publications were recovered");
    PublicationEvent second = next(events);
    PublicationEvent third = next(events);
    assertEquals(2, second.getOffset());
    assertEquals("{\"n\":2}", new String(second.getData(), StandardCharsets.UTF_8));
    assertEquals(3, third.getOffset());
    assertEquals("{\"n\":3}", new String(third.getData(), StandardCharsets.UTF_8));
    // Nothing twice: the next live publication is the next offset.
    api.publish("pb-recovery", "{\"n\":4}");
    assertEquals(4, next(events).getOffset());
  }

  /**
   * Bytes that hold no JSON, between centrifuge-java and the Protobuf build of centrifuge-js: each
   * receives the other's bytes unchanged; the HTTP API shows them base64 in {@code b64data}.
   */
  @Test
  void exchangesBinaryPayloadsWithCentrifugeJs() throws Exception {
    Events events = new Events();
    String channel = "pb-binary-" + System.nanoTime();
    connectAndSubscribe("java-bin", channel, events, 500);
    byte[] fromJava = {9, 0, (byte) 255, 10, 13, (byte) 128};
    CompletableFuture<Throwable> published = new CompletableFuture<>();
    client.publish(channel, fromJava, (err, r) -> published.complete(err));
    assertEquals(null, published.get(WAIT_SECONDS, TimeUnit.SECONDS));
    PublicationEvent own = next(events);
    assertArrayEquals(fromJava, own.getData());
    var history = api.result("history", "{\"channel\":\"" + channel + "\",\"limit\":10}");
    assertEquals(java.util.Base64.getEncoder().encodeToString(fromJava),
        history.get("publications").get(0).get("b64data").asText(), history::toString);

    NodeScript.Result r = NodeScript.run("binary", java.util.Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_CHANNEL", channel,
        "ROTOR_JAVA_BYTES", java.util.Base64.getEncoder().encodeToString(fromJava)), 60);
    assertEquals(0, r.exitCode(), () -> "binary scenario failed:\n" + r.output());
    PublicationEvent fromJs = next(events);
    assertArrayEquals(new byte[] {0, (byte) 255, 1, 2, (byte) 128, 10, 13}, fromJs.getData());
    assertEquals(2, fromJs.getOffset());
  }
}
