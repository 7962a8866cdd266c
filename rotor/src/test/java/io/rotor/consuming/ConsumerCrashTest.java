package io.rotor.consuming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.PostgresProcess;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.Subscriber;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two clustered node processes (Redis engine) consume the same outbox table or stream; node 0 is
 * killed with SIGKILL while it consumes. Subscribers on node 1 must end up with every row's value
 * (none lost); the test counts values delivered more than once and the drain rate.
 */
@Tag("slow")
@Tag("torture")
class ConsumerCrashTest {

  private static final int CHANNELS = 4;
  private static final int ROWS = Integer.getInteger("rotor.consumer.crash.rows", 20_000);

  /** A recoverable namespace, as the cluster torture tests use. */
  private static final String NAMESPACE = "{\"channel\": {\"namespaces\": [{\"name\": \"crash\", \"history_size\": 100000,"
      + " \"history_ttl\": \"600s\", \"force_recovery\": true, \"allow_subscribe_for_client\": true}]}}";

  private static String ns(String consumers) {
    return RawClient.merge(NAMESPACE, "{\"consumers\": " + consumers + "}");
  }

  @Test
  void outboxRowsSurviveANodeKilledWhileConsuming() throws Exception {
    try (PostgresProcess pg = PostgresProcess.start()) {
      Vertx vertx = Vertx.vertx();
      Pool sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pg.dsn())).using(vertx).build();
      sql.query(String.format(ConsumersTest.OUTBOX, "outbox")).execute().await(10, TimeUnit.SECONDS);
      String consumers = "[{\"name\":\"crash\",\"enabled\":true,\"type\":\"postgresql\",\"postgresql\":{\"dsn\":\""
          + pg.dsn() + "\",\"outbox_table_name\":\"outbox\",\"num_partitions\":" + CHANNELS
          + ",\"partition_poll_interval\":\"50ms\"}}]";
      LongSupplier remaining = () -> {
        try {
          return sql.query("SELECT count(*) FROM outbox").execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      run(vertx, ns(consumers), (cluster, channels) -> {
        // Row i is value i / CHANNELS + 1 of channel i % CHANNELS, in the partition of that channel.
        sql.query("INSERT INTO outbox (method, payload, partition) SELECT 'publish', json_build_object('channel', "
            + "'crash:c' || (g % " + CHANNELS + "), 'data', json_build_object('n', g / " + CHANNELS + " + 1))::jsonb, g % "
            + CHANNELS + " FROM generate_series(0, " + (ROWS - 1) + ") g").execute().await(30, TimeUnit.SECONDS);
      }, remaining);
      sql.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void streamEntriesSurviveANodeKilledWhileConsuming() throws Exception {
    try (RedisProcess source = RedisProcess.start()) {
      Vertx vertx = Vertx.vertx();
      String consumers = "[{\"name\":\"crash\",\"enabled\":true,\"type\":\"redis_stream\",\"redis_stream\":{"
          + "\"address\":[\"127.0.0.1:" + source.port() + "\"],\"streams\":[\"outbox\"],\"consumer_group\":\"rotor\","
          + "\"visibility_timeout\":\"2s\"}}]";
      LongSupplier remaining = () -> {
        try {
          String[] info = source.command("XINFO", "GROUPS", "outbox").split(" ");
          long left = 0;
          for (int i = 0; i + 1 < info.length; i++) {
            if (info[i].equals("pending") || info[i].equals("lag")) {
              left += Long.parseLong(info[i + 1].isEmpty() ? "0" : info[i + 1]);
            }
          }
          return left;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      run(vertx, ns(consumers), (cluster, channels) -> source.command("EVAL",
          "for g = 0, tonumber(ARGV[1]) - 1 do redis.call('xadd', KEYS[1], '*', 'method', 'publish', 'payload', "
              + "'{\"channel\":\"crash:c' .. (g % " + CHANNELS + ") .. '\",\"data\":{\"n\":' .. (math.floor(g / " + CHANNELS
              + ") + 1) .. '}}') end", "1", "outbox", String.valueOf(ROWS)), remaining);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  interface Load {
    void fill(ProcessCluster cluster, List<String> channels) throws Exception;
  }

  private static void run(Vertx vertx, String config, Load load, LongSupplier remaining) throws Exception {
    List<Subscriber> subscribers = new ArrayList<>();
    try (ProcessCluster cluster = ProcessCluster.start(2, config)) {
      cluster.awaitCluster(Duration.ofSeconds(120));
      List<String> channels = new ArrayList<>();
      for (int c = 0; c < CHANNELS; c++) {
        channels.add("crash:c" + c);
        // On node 1, which survives: what it receives is what the cluster published.
        Subscriber s = new Subscriber(vertx, "crash:c" + c, List.of(cluster.ports().get(1)), 0);
        subscribers.add(s);
        s.start();
        s.awaitSubscribed();
      }
      long t0 = System.nanoTime();
      load.fill(cluster, channels);
      // Kill node 0 once a third of the load has gone through.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (remaining.getAsLong() > ROWS * 2L / 3) {
        assertTrue(System.nanoTime() < deadline, "the consumers did not start");
        Thread.sleep(20); // polling the source's backlog: it sends no events
      }
      cluster.node(0).kill9();
      long killedAt = System.nanoTime();
      while (remaining.getAsLong() > 0) {
        assertTrue(System.nanoTime() < deadline, "not drained after the kill: " + remaining.getAsLong() + " left");
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      int perChannel = ROWS / CHANNELS;
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int lost = 0;
      int duplicated = 0;
      List<String> problems = new ArrayList<>();
      for (Subscriber s : subscribers) {
        // Published before the source let go of it: at the subscriber or on its way.
        while (new HashSet<>(s.values).size() < perChannel && System.nanoTime() < settle) {
          Thread.sleep(50);
        }
        Set<Long> seen = new HashSet<>();
        Set<Long> twice = new TreeSet<>();
        synchronized (s.values) {
          for (long v : s.values) {
            if (!seen.add(v)) {
              twice.add(v);
            }
          }
        }
        Set<Long> missing = new TreeSet<>();
        for (long v = 1; v <= perChannel; v++) {
          if (!seen.contains(v)) {
            missing.add(v);
          }
        }
        lost += missing.size();
        duplicated += twice.size();
        problems.addAll(s.violations);
        if (!missing.isEmpty()) {
          problems.add("channel " + s.getName() + " misses " + missing.size() + " values, first " + missing.iterator().next());
        }
      }
      System.out.printf("consumer crash: %d rows in %.1f s (%.0f rows/s, kill after %.1f s): %d lost, %d delivered twice%n",
          ROWS, seconds, ROWS / seconds, (killedAt - t0) / 1e9, lost, duplicated);
      assertEquals(List.of(), problems);
      assertEquals(0, lost, "rows lost");
      assertEquals(0, duplicated, "rows delivered twice");
      assertTrue(ROWS / seconds >= 1000, String.format("drained at %.0f rows/s, below 1000", ROWS / seconds));
    } finally {
      subscribers.forEach(Subscriber::stopRunning);
    }
  }
}
