package io.rotor.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.rotor.ChannelSubscriber;
import io.rotor.Rotor;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two host applications, each with its own clustered Vert.x (Hazelcast, built by the host), each
 * embedding Rotor with {@code cluster.enabled}: a verticle on one consumes what the other publishes,
 * in order, and after a restart resumes from its stored position without loss or repeats.
 */
class EmbeddedClusterTest {

  private final String name = "rotor-embed-" + UUID.randomUUID();
  private final List<Vertx> hosts = new ArrayList<>();
  private final List<Rotor> rotors = new ArrayList<>();

  /** What a host application does: its own Hazelcast config, its own clustered Vert.x. */
  private static Vertx hostVertx(String clusterName, int port, List<Integer> members) throws Exception {
    Config hz = ConfigUtil.loadConfig().setClusterName(clusterName);
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members.stream().map(p -> "127.0.0.1:" + p).toList());
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered().await(60, TimeUnit.SECONDS);
  }

  private Rotor embed(Vertx vertx) throws Exception {
    RotorOptions options = ConfigLoader.fromJson(TestNode.DEFAULT_CONFIG, Map.of());
    options.getCluster().setEnabled(true);
    options.getCluster().setName(name);
    Rotor rotor = Rotor.create(vertx, options);
    rotor.start().await(30, TimeUnit.SECONDS);
    return rotor;
  }

  @AfterEach
  void stop() throws Exception {
    for (Rotor r : rotors) {
      r.close().await(10, TimeUnit.SECONDS);
    }
    for (Vertx v : hosts) {
      v.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aVerticleOnOneNodeConsumesWhatAnotherPublishesAndResumesAfterARestart() throws Exception {
    List<Integer> ports = List.of(TestCluster.freePort(), TestCluster.freePort());
    List<CompletableFuture<Vertx>> joining = new ArrayList<>();
    for (int p : ports) {
      joining.add(CompletableFuture.supplyAsync(() -> {
        try {
          return hostVertx(name, p, ports);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Vertx> f : joining) {
      hosts.add(f.join());
    }
    Rotor a = embed(hosts.get(0));
    rotors.add(a);
    Rotor b = embed(hosts.get(1));
    rotors.add(b);

    SubscriberVerticle consumer = new SubscriberVerticle(b, "news", null);
    String id = hosts.get(1).deployVerticle(consumer).await(30, TimeUnit.SECONDS);
    consumer.subscribed.take();
    int n = 200;
    List<io.vertx.core.Future<StreamPosition>> published = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      published.add(a.publish("news", Buffer.buffer("{\"i\":" + i + "}")));
    }
    io.vertx.core.Future.all(published).await(30, TimeUnit.SECONDS);
    assertEquals(n, a.history("news", io.rotor.history.HistoryFilter.topOnly()).await(10, TimeUnit.SECONDS).top().offset());
    for (long expected = 1; expected <= n; expected++) {
      assertEquals(expected, poll(consumer).offset(), "in order, once each");
    }
    StreamPosition stored = consumer.subscriber.position();
    hosts.get(1).undeploy(id).await(10, TimeUnit.SECONDS);
    for (int i = n + 1; i <= n + 50; i++) {
      a.publish("news", Buffer.buffer("{\"i\":" + i + "}")).await(10, TimeUnit.SECONDS);
    }
    SubscriberVerticle again = new SubscriberVerticle(b, "news", stored);
    hosts.get(1).deployVerticle(again).await(30, TimeUnit.SECONDS);
    ChannelSubscriber.Subscribed s = again.subscribed.take();
    assertTrue(s.recovered(), s.toString());
    for (int i = n + 51; i <= n + 60; i++) {
      a.publish("news", Buffer.buffer("{\"i\":" + i + "}"));
    }
    for (long expected = n + 1; expected <= n + 60; expected++) {
      assertEquals(expected, poll(again).offset(), "recovered then live, in order, once each");
    }
    assertNull(again.received.poll(300, TimeUnit.MILLISECONDS), "nothing twice");
  }

  private static Publication poll(SubscriberVerticle v) throws InterruptedException {
    Publication p = v.received.poll(15, TimeUnit.SECONDS);
    assertNotNull(p, "no publication within 15 s");
    return p;
  }
}
