package io.rotor.redis;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.FailoverCheck;
import io.rotor.testing.LightSubscriber;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisClusterProcesses;
import io.rotor.testing.RedisSentinels;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis failovers under publishing load, every process real: three nodes on the Redis broker,
 * subscribers spread over them, paced publishers through every node; then the Redis master that
 * holds the channel is killed with SIGKILL and its replica promoted (by the Sentinels, or by the
 * Redis Cluster itself). Measured and printed ({@code FAILOVER:} lines, quoted in
 * docs/reliability.md): the time until a publication sent after the kill is acknowledged, and how
 * many acknowledged publications the stream lost (replication is asynchronous, so some may be).
 * Asserted: no subscriber is ever silently behind; each one that lacks a publication still in the
 * stream was told it could not recover, and all end at the stream's final top in one order.
 */
@Tag("slow")
@Tag("torture")
class RedisFailoverTest {

  private static final String NAMESPACE = "{\"channel\": {\"namespaces\": [{\"name\": \"fo\", \"history_size\": 100000,"
      + " \"history_ttl\": \"600s\", \"force_recovery\": true, \"allow_subscribe_for_client\": true}]},"
      + " \"client\": {\"channel_position_check_delay\": \"2s\"}}";
  private static final int SUBSCRIBERS = 60;
  private static final long KILL_AFTER_MS = 4_000;
  private static final long RUN_AFTER_KILL_MS = 16_000;

  @Test
  void sentinelPromotesAReplicaWhenTheMasterIsKilledUnderLoad() throws Exception {
    try (RedisSentinels redis = RedisSentinels.start(1000);
        TestCluster nodes = TestCluster.redisBroker(3, redis.engineConfig(), NAMESPACE)) {
      failover("sentinel", nodes, "fo:sentinel", () -> redis.master().kill9());
    }
  }

  @Test
  void redisClusterPromotesAReplicaWhenAMasterIsKilledUnderLoad() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3, 1000);
        TestCluster nodes = TestCluster.redisBroker(3, redis.engineConfig(), NAMESPACE)) {
      String ch = "fo:cluster";
      failover("cluster", nodes, ch, () -> redis.masterOf(ch).kill9());
    }
  }

  interface Fault {
    void inject() throws Exception;
  }

  private static void failover(String name, TestCluster nodes, String ch, Fault fault) throws Exception {
    Vertx vertx = Vertx.vertx();
    List<LightSubscriber> subscribers = new ArrayList<>();
    try {
      List<Integer> ports = nodes.nodes().stream().map(TestNode::port).toList();
      WebSocketClient ws = LightSubscriber.client(vertx);
      LightSubscriber.Values values = new LightSubscriber.Values(100_000);
      String token = RawClient.token("sub");
      for (int i = 0; i < SUBSCRIBERS; i++) {
        LightSubscriber s = new LightSubscriber(vertx, ws, ch, ports, i % ports.size(), i, values, null, token)
            .toleratingToldLoss();
        subscribers.add(s);
      }
      LightSubscriber.open(subscribers);
      // Two sequential publishers per node, ~200/s each.
      ProcessCluster.Publishers publishers = new ProcessCluster.Publishers(ch, () -> ports, 6, 5_000).start();
      Thread.sleep(KILL_AFTER_MS); // mid-stream, by design
      fault.inject();
      long killedAt = System.currentTimeMillis(); // the process is dead from here on
      Thread.sleep(RUN_AFTER_KILL_MS); // the load runs on for its stated duration
      publishers.stop();
      long[] firstAfter = publishers.firstAckedSentAfter(killedAt);
      assertNotNull(firstAfter, "publishing never worked again: " + publishers.summary());
      long recoveryMs = firstAfter[1] - killedAt;
      FailoverCheck.Report report = FailoverCheck.check(subscribers, publishers, new RawClient.Api(ports.get(0)), ch,
          Duration.ofSeconds(120));
      System.out.println("FAILOVER " + name + ": publishing acknowledged again " + recoveryMs
          + " ms after the kill; " + report + "; publishers: " + publishers.summary());
      assertTrue(recoveryMs < 30_000, "publishing works again within 30 s: " + recoveryMs + " ms");
      assertNotEquals(0, report.acknowledged());
    } finally {
      subscribers.forEach(LightSubscriber::stop);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
