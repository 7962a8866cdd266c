package io.rotor.testing;

import static io.rotor.testing.RawClient.token;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base for wire-level tests: one real node shared by every test of a class (starting a node per
 * test would dominate the suite's time), raw clients closed after each test, and extra nodes with
 * their own config for the tests that need one. Tests keep out of each other's way by using
 * {@link #unique} names, since channels, history and presence on the shared node outlive a test.
 */
public abstract class SharedNodeTest {

  private static final AtomicInteger NAMES = new AtomicInteger();

  protected static Vertx vertx;
  protected static TestNode node;
  protected static RawClient.Api api;

  private final List<RawClient> clients = new ArrayList<>();
  private final List<TestNode> extraNodes = new ArrayList<>();

  @BeforeAll
  static void startSharedNode() {
    vertx = Vertx.vertx();
    node = TestNode.start();
    api = new RawClient.Api(node.port());
  }

  @AfterAll
  static void stopSharedNode() throws Exception {
    node.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeClientsAndExtraNodes() throws Exception {
    clients.forEach(RawClient::close);
    clients.clear();
    for (TestNode n : extraNodes) {
      n.close();
    }
    extraNodes.clear();
  }

  /** An open WebSocket to the shared node that has not sent connect yet. */
  protected RawClient open() {
    return open(node);
  }

  protected RawClient open(TestNode on) {
    return closedAfterTest(RawClient.open(vertx, on.port()));
  }

  /** Registers a client opened some other way (own options) to be closed after the test. */
  protected RawClient closedAfterTest(RawClient c) {
    clients.add(c);
    return c;
  }

  /** A client connected to the shared node with a token for {@code user}. */
  protected RawClient connected(String user) {
    return connected(node, user);
  }

  protected RawClient connected(TestNode on, String user) {
    RawClient c = open(on);
    c.connect(token(user));
    return c;
  }

  /** A node of its own, started with the test defaults plus {@code overrides} (JSON), closed after the test. */
  protected TestNode startNode(String overrides) {
    return track(TestNode.start(RawClient.config(overrides), Map.of()));
  }

  /** A fresh node with the test defaults, for tests that count what is on a node. */
  protected TestNode startNode() {
    return track(TestNode.start());
  }

  private TestNode track(TestNode n) {
    extraNodes.add(n);
    return n;
  }

  /** A name (channel or user) no other test in this JVM uses. */
  protected static String unique(String prefix) {
    return prefix + "n" + NAMES.incrementAndGet();
  }
}
