package io.rotor.redis;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.Await;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.RedisSentinels;
import io.rotor.testing.TestCluster;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Redis broker through Redis Sentinel ({@code engine.redis.sentinel_address},
 * {@code sentinel_master_name}), on real processes: a master, a replica and three Sentinels. Two
 * nodes find the master through the Sentinels, fan out through it, and follow a failover: after
 * the master is killed with SIGKILL and a replica promoted, publishing works again through both
 * nodes, and a subscriber whose stream may have lost publications is told so (the epoch changed)
 * rather than left silently behind.
 */
class RedisSentinelTest {

  @Test
  void nodesFindTheMasterThroughSentinelAndFollowAFailover() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisSentinels redis = RedisSentinels.start(1000);
        TestCluster nodes = TestCluster.redisBroker(2, redis.engineConfig(), "{}")) {
      RawClient a = RawClient.open(vertx, nodes.node(0).port());
      a.connect(token("a"));
      String ch = "sentinel-chat";
      ObjectNode sub = a.call("subscribe", RawClient.JSON.createObjectNode().put("channel", ch).put("recoverable", true));
      String epoch = sub.get("subscribe").get("epoch").asText();
      RawClient.Api onB = new RawClient.Api(nodes.node(1).port());
      assertEquals(1, onB.publish(ch, "{\"n\":1}"));
      assertEquals(1, a.await(pub(ch), Duration.ofSeconds(10)).get("push").get("pub").get("data").get("n").asInt());

      RedisProcess master = redis.master();
      long killedAt = System.currentTimeMillis();
      master.kill9();
      Await.until("a Sentinel names a new master", 30_000, () -> {
        try {
          return redis.masterPort() != master.port();
        } catch (java.io.IOException e) {
          return false;
        }
      });
      // Publishing works again through both nodes once they reach the new master.
      long[] offset = new long[1];
      Await.until("publishing works again", 30_000, () -> {
        try {
          offset[0] = onB.publish(ch, "{\"n\":2}");
          return true;
        } catch (AssertionError e) {
          return false;
        }
      });
      System.out.println("SENTINEL: publishing worked again " + (System.currentTimeMillis() - killedAt)
          + " ms after the master was killed");
      // Each node finds the new master on its own (its next reconnect to the Sentinels); until
      // then a publish through it is answered 100 internal error.
      RawClient.Api onA = new RawClient.Api(nodes.node(0).port());
      Await.until("publishing works again through the other node", 30_000, () -> {
        try {
          onA.publish(ch, "{\"n\":3}");
          return true;
        } catch (AssertionError e) {
          return false;
        }
      });
      // The promoted replica is another incarnation of the stream: its epoch changed, and the
      // subscriber is told (unsubscribe 2500, insufficient state) instead of continuing silently.
      ObjectNode told = a.await(m -> RawClient.push(ch, "unsubscribe").test(m), Duration.ofSeconds(30));
      assertEquals(2500, told.get("push").get("unsubscribe").get("code").asInt());
      ObjectNode again = a.call("subscribe", RawClient.JSON.createObjectNode().put("channel", ch)
          .put("recover", true).put("offset", 1).put("epoch", epoch));
      assertNotEquals(epoch, again.get("subscribe").get("epoch").asText(), "a new epoch after the failover");
      assertTrue(!again.get("subscribe").path("recovered").asBoolean(), "told that it could not recover: " + again);
      a.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
