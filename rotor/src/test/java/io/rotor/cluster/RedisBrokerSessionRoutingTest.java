package io.rotor.cluster;

import io.rotor.testing.Nginx;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SessionRoutingTest} on the Redis broker: SockJS and the emulation transports behind a
 * round-robin nginx, with the requests for another node's session routed through Redis.
 */
class RedisBrokerSessionRoutingTest extends SessionRoutingTest {

  static RedisProcess redis;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.start();
    cluster = TestCluster.redisBroker(2, "{\"address\": [\"" + redis.address() + "\"]}", CONFIG);
    nginx = Nginx.roundRobin(cluster.nodes().stream().map(TestNode::port).toList());
  }

  @AfterAll
  static void stop() throws Exception {
    SessionRoutingTest.stop();
    redis.close();
  }
}
