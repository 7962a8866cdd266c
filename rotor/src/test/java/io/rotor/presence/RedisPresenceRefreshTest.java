package io.rotor.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.RedisOptions;
import io.rotor.core.ClientInfo;
import io.rotor.redis.RedisShards;
import io.rotor.testing.RedisProcess;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code client.presence_update_interval} is what refreshes presence in Redis: with an interval
 * below the TTL a live entry outlives several TTLs; with one above it, the same live (not closed)
 * store loses its entry once the TTL passes. A real redis-server.
 */
class RedisPresenceRefreshTest {

  private static RedisProcess redis;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private RedisShards shards(String prefix) {
    return new RedisShards(vertx, new RedisOptions().setAddress(List.of(redis.address())).setPrefix(prefix));
  }

  @Test
  void theUpdateIntervalKeepsEntriesAliveAndNothingElseDoes() throws Exception {
    RedisShards fastShards = shards("fast");
    RedisShards slowShards = shards("slow");
    RedisPresenceStore fast = new RedisPresenceStore(vertx, fastShards, Duration.ofSeconds(1), Duration.ofMillis(250));
    RedisPresenceStore slow = new RedisPresenceStore(vertx, slowShards, Duration.ofSeconds(1), Duration.ofSeconds(27));
    try {
      fast.add("ch", new ClientInfo("u", "c-fast", null, null)).await(5, TimeUnit.SECONDS);
      slow.add("ch", new ClientInfo("u", "c-slow", null, null)).await(5, TimeUnit.SECONDS);
      long start = System.currentTimeMillis();
      boolean slowGone = false;
      // Expiry is the passing of time itself: poll for 3.5 s (more than three TTLs, second resolution).
      while (System.currentTimeMillis() - start < 3_500) {
        assertEquals(1, fast.presence("ch").await(5, TimeUnit.SECONDS).size(),
            "refreshed every 250 ms, the entry must live past its 1 s TTL");
        slowGone |= slow.presence("ch").await(5, TimeUnit.SECONDS).isEmpty();
        Thread.sleep(200);
      }
      assertTrue(slowGone, "refreshed only every 27 s, the entry must expire after its 1 s TTL");
    } finally {
      fast.close();
      slow.close();
      fastShards.close();
      slowShards.close();
    }
  }
}
