package io.rotor.cluster;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.ConfigLoader;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestCerts;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes whose event bus runs TLS with a cluster CA (one configured with PEM files, one with
 * PKCS#12 stores, certificates made at test time) exchange publications; a node whose certificate
 * another CA signed (it even trusts the cluster CA) and a node without TLS both join Hazelcast,
 * which has no authentication, but can neither send to nor receive from the TLS nodes over the
 * event bus, never become Rotor members, and leave the two good nodes working.
 */
class EventBusTlsTest {

  @TempDir
  static Path dir;
  static TestCerts ca;
  static TestCluster cluster;
  static Vertx vertx;

  static String pemTls(TestCerts.NodeCert cert, Path caPem) {
    return "{\"cluster\": {\"tls\": {\"enabled\": true, \"cert_pem_file\": \"" + cert.certPem()
        + "\", \"key_pem_file\": \"" + cert.keyPem() + "\", \"ca_pem_file\": \"" + caPem + "\"}}}";
  }

  static String storeTls(TestCerts.NodeCert cert, Path trustStore) {
    return "{\"cluster\": {\"tls\": {\"enabled\": true, \"key_store_file\": \"" + cert.keyStore()
        + "\", \"key_store_password\": \"" + TestCerts.PASSWORD + "\", \"trust_store_file\": \"" + trustStore
        + "\", \"trust_store_password\": \"" + TestCerts.PASSWORD + "\"}}}";
  }

  @BeforeAll
  static void start() {
    ca = TestCerts.authority(dir, "cluster");
    TestCerts.NodeCert a = ca.issue("node-a");
    TestCerts.NodeCert b = ca.issue("node-b");
    cluster = TestCluster.start(2, null, i -> i == 0 ? pemTls(a, ca.caPem())
        : i == 1 ? storeTls(b, ca.trustStore()) : "{}");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A consumer on {@code node} answering "pong", registered cluster-wide. */
  static MessageConsumer<String> probe(TestNode node, String address) throws Exception {
    MessageConsumer<String> c = node.vertx().eventBus().<String>consumer(address, m -> m.reply("pong"));
    c.completion().await(10, TimeUnit.SECONDS);
    return c;
  }

  static Future<Object> ask(TestNode from, String address) {
    return from.vertx().eventBus().request(address, "ping", new DeliveryOptions().setSendTimeout(3_000))
        .map(m -> m.body());
  }

  /** Waits for the future; true when it succeeded, false when it failed. */
  static boolean succeeded(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static void publicationCrossesFromAToB(String ch) {
    RawClient sub = RawClient.open(vertx, cluster.node(1).port());
    try {
      sub.connect(token("bob"));
      sub.subscribe(ch);
      new RawClient.Api(cluster.node(0).port()).publish(ch, "{\"n\":1}");
      assertEquals(1, sub.await(pub(ch), Duration.ofSeconds(10)).get("push").get("pub").get("data").get("n").asInt());
    } finally {
      sub.close();
    }
  }

  @Test
  void aPublicationCrossesTheTlsEventBusAndOutsidersCannotTalkToIt() throws Exception {
    publicationCrossesFromAToB("tls-before");
    TestNode a = cluster.node(0);
    TestNode b = cluster.node(1);
    // The outsiders: a certificate from another CA (trusting the cluster CA, so only the TLS
    // nodes' demand for a client certificate keeps it out), and no TLS at all.
    TestCerts rogueCa = TestCerts.authority(dir, "rogue");
    TestCerts.NodeCert rogueCert = rogueCa.issue("node-r");
    String rogueConfig = RawClient.merge(cluster.config(TestCluster.freePort(), 2), pemTls(rogueCert, ca.caPem()));
    String plainConfig = cluster.config(TestCluster.freePort(), 3);
    try (TestNode rogue = TestNode.start(ConfigLoader.fromJson(rogueConfig, Map.of()));
        TestNode plain = TestNode.start(ConfigLoader.fromJson(plainConfig, Map.of()))) {
      probe(a, "tls-probe-a");
      probe(rogue, "tls-probe-rogue");
      probe(plain, "tls-probe-plain");
      // Control: the good nodes reach each other.
      assertEquals("pong", ask(b, "tls-probe-a").await(10, TimeUnit.SECONDS));
      // The outsiders cannot send to a TLS node, and a TLS node does not deliver to them.
      assertTrue(!succeeded(ask(rogue, "tls-probe-a")), "a node with an untrusted certificate reached node A");
      assertTrue(!succeeded(ask(plain, "tls-probe-a")), "a node without TLS reached node A");
      assertTrue(!succeeded(ask(a, "tls-probe-rogue")), "node A delivered to a node with an untrusted certificate");
      assertTrue(!succeeded(ask(b, "tls-probe-plain")), "node B delivered to a node without TLS");
      // Their hellos never got through: neither side counts the other as a member.
      List<String> good = cluster.nodes().stream().map(n -> n.server().nodeId()).sorted().toList();
      for (TestNode n : List.of(a, b)) {
        assertEquals(good, n.server().members().stream().sorted().toList());
      }
      assertEquals(List.of(rogue.server().nodeId()), rogue.server().members());
      assertEquals(List.of(plain.server().nodeId()), plain.server().members());
      publicationCrossesFromAToB("tls-during");
      assertEquals("pong", ask(b, "tls-probe-a").await(10, TimeUnit.SECONDS));
    }
  }
}
