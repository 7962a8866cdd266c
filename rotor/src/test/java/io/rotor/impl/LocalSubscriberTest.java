package io.rotor.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.ChannelSubscriber;
import io.rotor.Rotor;
import io.rotor.config.ConfigLoader;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryFilter;
import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.rotor.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a server-side subscriber does when the fan-out loses a publication (a message dropped between
 * nodes, a Redis reply lost): the subscriber sits on a Hub of its own that the node does not fan out
 * to, and the test hands it exactly the publications that "arrived". A gap or the position check must
 * make it recover the missing ones from history, in order, once each.
 */
class LocalSubscriberTest {

  private Vertx vertx;
  private RotorImpl rotor;
  private Node node;
  private Context loop;
  private final BlockingQueue<Publication> got = new LinkedBlockingQueue<>();
  private final BlockingQueue<ChannelSubscriber.Subscribed> subscribed = new LinkedBlockingQueue<>();
  private LocalSubscriber sub;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    rotor = (RotorImpl) Rotor.create(vertx, ConfigLoader.fromJson(TestNode.DEFAULT_CONFIG, Map.of()));
    rotor.start().await(30, TimeUnit.SECONDS);
    node = rotor.server().node();
    loop = vertx.getOrCreateContext();
    Promise<ChannelSubscriber.Subscribed> ready = Promise.promise();
    loop.runOnContext(v -> {
      // A Hub the node does not know: only what the test delivers reaches the subscriber.
      sub = new LocalSubscriber(node, new Hub(loop), "news", () -> { });
      sub.handler(got::add).subscribedHandler(subscribed::add);
      sub.subscribe(null).onComplete(ready);
    });
    ready.future().await(10, TimeUnit.SECONDS);
    subscribed.take();
  }

  @AfterEach
  void stop() throws Exception {
    rotor.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Publishes for real (history keeps it) and returns the publication as history holds it. */
  private Publication publish(int i) throws Exception {
    StreamPosition pos = rotor.publish("news", Buffer.buffer("{\"i\":" + i + "}")).await(10, TimeUnit.SECONDS);
    List<Publication> pubs = rotor.history("news", new HistoryFilter(new StreamPosition(pos.offset() - 1, pos.epoch()),
        1, false)).await(10, TimeUnit.SECONDS).publications();
    return pubs.get(0);
  }

  private void arrive(Publication p) {
    loop.runOnContext(v -> sub.deliverPublication("news", p, null));
  }

  private long next() throws InterruptedException {
    Publication p = got.poll(10, TimeUnit.SECONDS);
    assertNotNull(p, "no publication within 10 s");
    return p.offset();
  }

  @Test
  void aGapIsFilledFromHistoryInOrder() throws Exception {
    Publication p1 = publish(1);
    Publication p2 = publish(2);
    publish(3); // lost on its way here
    Publication p4 = publish(4);
    arrive(p1);
    arrive(p2);
    arrive(p4);
    arrive(p4); // a duplicate too
    assertEquals(List.of(1L, 2L, 3L, 4L), List.of(next(), next(), next(), next()));
    ChannelSubscriber.Subscribed recovery = subscribed.poll(10, TimeUnit.SECONDS);
    assertNotNull(recovery);
    assertTrue(recovery.wasRecovering() && recovery.recovered(), recovery.toString());
    assertNull(got.poll(300, TimeUnit.MILLISECONDS), "nothing twice");
    assertEquals(4, sub.position().offset());
  }

  @Test
  void thePositionCheckFindsALostLastPublication() throws Exception {
    arrive(publish(1));
    assertEquals(1, next());
    publish(2); // lost, and nothing comes after it to show the gap
    StreamPosition top = rotor.history("news", HistoryFilter.topOnly()).await(10, TimeUnit.SECONDS).top();
    loop.runOnContext(v -> sub.checkPosition("news", top));
    assertEquals(2, next());
    assertNull(got.poll(300, TimeUnit.MILLISECONDS), "nothing twice");
  }

  @Test
  void anotherEpochMeansRecoveringFromTheStoredPosition() throws Exception {
    Publication p1 = publish(1);
    arrive(p1);
    assertEquals(1, next());
    Publication p2 = publish(2);
    // The same offset from a stream that was reset elsewhere: not ours to deliver.
    arrive(new Publication(2, "other-epoch", "{}".getBytes(), null, null, 0));
    assertEquals(2, next());
    assertEquals(p2.epoch(), sub.position().epoch());
    assertNull(got.poll(300, TimeUnit.MILLISECONDS), "the foreign one was not delivered");
  }
}
