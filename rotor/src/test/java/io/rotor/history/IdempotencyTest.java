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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Idempotency keys in both history stores: a repeat within the TTL appends nothing and gets the first position. */
class IdempotencyTest {

  private static final HistoryOptions OPTIONS = new HistoryOptions(100, Duration.ofMinutes(5), Duration.ofHours(1));

  private static Publication pub(String text) {
    return new Publication(0, null, ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8), null, null, System.currentTimeMillis());
  }

  private static Appended add(HistoryStore store, String channel, Publication pub, String key, Duration ttl)
      throws Exception {
    return store.add(channel, pub, OPTIONS, new PublishConditions(key, ttl, 0, "")).await(5, TimeUnit.SECONDS);
  }

  private static void check(HistoryStore store) throws Exception {
    Appended first = add(store, "ch", pub("a"), "k1", Duration.ofMinutes(5));
    Appended again = add(store, "ch", pub("a"), "k1", Duration.ofMinutes(5));
    Appended other = add(store, "ch", pub("b"), "k2", Duration.ofMinutes(5));
    Appended elsewhere = add(store, "ch2", pub("a"), "k1", Duration.ofMinutes(5));
    assertFalse(first.suppressed());
    assertTrue(again.suppressed());
    assertEquals(first.position(), again.position());
    assertFalse(other.suppressed());
    assertEquals(first.position().offset() + 1, other.position().offset());
    assertFalse(elsewhere.suppressed(), "keys are per channel");
    HistoryResult h = store.read("ch", new HistoryFilter(null, HistoryFilter.NO_LIMIT, false), OPTIONS).await(5, TimeUnit.SECONDS);
    assertEquals(2, h.publications().size(), "the repeat was not appended");
    // A stream emptied by history_remove keeps its epoch: the key still holds.
    store.remove("ch").await(5, TimeUnit.SECONDS);
    assertTrue(add(store, "ch", pub("a"), "k1", Duration.ofMinutes(5)).suppressed());
  }

  @Test
  void memoryStore() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    MemoryHistoryStore store = new MemoryHistoryStore(now::get);
    check(store);
    // After the TTL the key is forgotten.
    Appended first = add(store, "t", pub("x"), "k", Duration.ofSeconds(10));
    now.addAndGet(11_000);
    Appended later = add(store, "t", pub("x"), "k", Duration.ofSeconds(10));
    assertFalse(later.suppressed());
    assertNotEquals(first.position().offset(), later.position().offset());
  }

  @Test
  void redisStore() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start()) {
      RedisShards shards = new RedisShards(vertx,
          new io.rotor.config.RedisOptions().setAddress(List.of(redis.address())).setPrefix("once"));
      check(new RedisHistoryStore(shards));
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
