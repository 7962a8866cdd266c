package io.rotor.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.core.Publication;
import io.rotor.redis.RedisShards;
import io.rotor.testing.RedisClusterProcesses;
import io.rotor.testing.RedisProcess;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Publish-once keys in both history stores: a repeat within the TTL appends nothing and gets the first position. */
class IdempotencyTest {

  private static final HistoryOptions OPTIONS = new HistoryOptions(100, Duration.ofMinutes(5), Duration.ofHours(1));

  private static Publication pub(String text) {
    return new Publication(0, null, ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8), null, null, System.currentTimeMillis());
  }

  private static void check(HistoryStore store) throws Exception {
    Idempotency.Appended first = store.addOnce("ch", pub("a"), OPTIONS, "k1", Duration.ofMinutes(5)).await(5, TimeUnit.SECONDS);
    Idempotency.Appended again = store.addOnce("ch", pub("a"), OPTIONS, "k1", Duration.ofMinutes(5)).await(5, TimeUnit.SECONDS);
    Idempotency.Appended other = store.addOnce("ch", pub("b"), OPTIONS, "k2", Duration.ofMinutes(5)).await(5, TimeUnit.SECONDS);
    Idempotency.Appended elsewhere = store.addOnce("ch2", pub("a"), OPTIONS, "k1", Duration.ofMinutes(5)).await(5, TimeUnit.SECONDS);
    assertFalse(first.repeated());
    assertTrue(again.repeated());
    assertEquals(first.position(), again.position());
    assertFalse(other.repeated());
    assertEquals(first.position().offset() + 1, other.position().offset());
    assertFalse(elsewhere.repeated(), "keys are per channel");
    HistoryResult h = store.read("ch", new HistoryFilter(null, HistoryFilter.NO_LIMIT, false), OPTIONS).await(5, TimeUnit.SECONDS);
    assertEquals(2, h.publications().size(), "the repeat was not appended");
    // A stream emptied by history_remove keeps its epoch: the key still holds.
    store.remove("ch").await(5, TimeUnit.SECONDS);
    assertTrue(store.addOnce("ch", pub("a"), OPTIONS, "k1", Duration.ofMinutes(5)).await(5, TimeUnit.SECONDS).repeated());
  }

  @Test
  void memoryStore() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    MemoryHistoryStore store = new MemoryHistoryStore(now::get);
    check(store);
    // After the TTL the key is forgotten.
    Idempotency.Appended first = store.addOnce("t", pub("x"), OPTIONS, "k", Duration.ofSeconds(10)).await(5, TimeUnit.SECONDS);
    now.addAndGet(11_000);
    Idempotency.Appended later = store.addOnce("t", pub("x"), OPTIONS, "k", Duration.ofSeconds(10)).await(5, TimeUnit.SECONDS);
    assertFalse(later.repeated());
    assertNotEquals(first.position().offset(), later.position().offset());
  }

  @Test
  void redisStore() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start()) {
      RedisShards shards = new RedisShards(vertx,
          new io.rotor.config.RedisOptions().setAddress(List.of(redis.address())).setPrefix("once"));
      check(new RedisHistoryStore(shards));
      // The tag never reaches Redis: what is stored is the publication without it.
      assertTrue(Idempotency.strip(new Publication(0, null, new byte[] {'1'}, null,
          Idempotency.withKey(Map.of("a", "b"), "k"), 0)).tags().equals(Map.of("a", "b")));
      shards.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** On a Redis Cluster the key shares the channel's slot (the channel is its hash tag), else the script is refused (CROSSSLOT). */
  @Test
  void redisClusterStore() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3, 5000)) {
      RedisShards shards = new RedisShards(vertx, new io.rotor.config.RedisOptions()
          .setClusterAddress(List.of(redis.servers().stream().map(RedisProcess::address).collect(Collectors.joining(","))))
          .setPrefix("once"));
      check(new RedisHistoryStore(shards));
      shards.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
