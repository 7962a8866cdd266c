package io.rotor.consuming;

import static io.rotor.testing.RawClient.pub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.PostgresProcess;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumers against a real PostgreSQL cluster and a real redis-server: commands arrive in order
 * at real WebSocket subscribers, bad ones are skipped and removed, nodes sharing an outbox never
 * deliver a row twice, and a dead consumer's stream entries are claimed.
 */
class ConsumersTest extends SharedNodeTest {

  /** Centrifugo's outbox table layout. */
  static final String OUTBOX = """
      CREATE TABLE %s (
        id BIGSERIAL PRIMARY KEY,
        method text NOT NULL,
        payload JSONB NOT NULL,
        partition INTEGER NOT NULL default 0,
        created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
      )""";

  private static PostgresProcess pg;
  private static RedisProcess redis;
  private static Pool sql;

  @BeforeAll
  static void startServers() {
    pg = PostgresProcess.start();
    redis = RedisProcess.start();
    sql = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pg.dsn())).using(vertx).build();
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (sql != null) {
      sql.close().await(5, TimeUnit.SECONDS);
    }
    if (pg != null) {
      pg.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static void sql(String statement, Object... args) {
    try {
      sql.preparedQuery(statement).execute(Tuple.tuple(List.of(args))).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(statement, e);
    }
  }

  static long count(String table) {
    try {
      return sql.query("SELECT count(*) FROM " + table).execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls a condition the test cannot be told about (rows deleted in another process's database). */
  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
      Thread.sleep(50);
    }
  }

  static String pgConsumer(String name, String table, int partitions, String extra) {
    return "{\"consumers\":[{\"name\":\"" + name + "\",\"enabled\":true,\"type\":\"postgresql\",\"postgresql\":{"
        + "\"dsn\":\"" + pg.dsn() + "\",\"outbox_table_name\":\"" + table + "\",\"num_partitions\":" + partitions
        + ",\"partition_poll_interval\":\"100ms\"" + extra + "}}]}";
  }

  static String publish(String channel, String data) {
    return "{\"channel\":\"" + channel + "\",\"data\":" + data + "}";
  }

  /** The {@code i} values of the next {@code n} publications on a channel, in arrival order. */
  static List<Integer> received(RawClient c, String channel, int n) {
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ObjectNode m = c.await(pub(channel), Duration.ofSeconds(15));
      out.add(m.get("push").get("pub").get("data").get("i").asInt());
    }
    return out;
  }

  @Test
  void outboxRowsArePublishedInOrderAndDeletedBadOnesToo() throws Exception {
    String table = unique("outbox");
    sql(String.format(OUTBOX, table));
    TestNode n = startNode(pgConsumer("pg1", table, 2, ",\"partition_notification_channel\":\"" + table + "\""));
    String a = unique("a");
    String b = unique("b");
    RawClient c = connected(n, unique("u"));
    c.subscribe(a);
    c.subscribe(b);
    List<Integer> expectA = new ArrayList<>();
    List<Integer> expectB = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      String ch = i % 2 == 0 ? a : b;
      (i % 2 == 0 ? expectA : expectB).add(i);
      sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('publish', $1::text::jsonb, $2)",
          publish(ch, "{\"i\":" + i + "}"), i % 2);
      if (i == 30) {
        // Bad commands in the middle of partition 0: logged, deleted, never blocking what follows.
        sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('nosuch', '{}', 0)");
        sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('publish', $1::text::jsonb, 0)",
            publish("nosuchns:x", "{}"));
        sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('publish', '\"text\"', 0)");
        sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('', '{\"method\":\"publish\"}', 0)");
        sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('publish', '{\"channel\":\"" + a + "\"}', 0)");
      }
    }
    // The method in the payload instead of the method column, as Centrifugo allows.
    sql("INSERT INTO " + table + " (method, payload, partition) VALUES ('', $1::text::jsonb, 0)",
        "{\"method\":\"publish\",\"payload\":" + publish(a, "{\"i\":61}") + "}");
    expectA.add(61);
    sql("NOTIFY " + table + ", '0'");
    assertEquals(expectA, received(c, a, expectA.size()));
    assertEquals(expectB, received(c, b, expectB.size()));
    eventually(() -> count(table) == 0, "every row, bad ones too, deleted");
    assertTrue(c.unconsumed().stream().noneMatch(pub(a).or(pub(b))), () -> "unexpected: " + c.unconsumed());
  }

  @Test
  void notifyWakesAPartitionBeforeItsPoll() throws Exception {
    String table = unique("outbox");
    sql(String.format(OUTBOX, table));
    // Polled only every 30 s: a row arriving within the test is there because NOTIFY woke the partition.
    TestNode n = startNode("{\"consumers\":[{\"name\":\"pgn\",\"enabled\":true,\"type\":\"postgresql\",\"postgresql\":{"
        + "\"dsn\":\"" + pg.dsn() + "\",\"outbox_table_name\":\"" + table + "\",\"partition_poll_interval\":\"30s\","
        + "\"partition_notification_channel\":\"wake_" + table + "\"}}]}");
    String ch = unique("n");
    RawClient c = connected(n, unique("u"));
    c.subscribe(ch);
    // After row 1 (found by the first poll or woken for) the partition sleeps on its 30 s timer: row 2
    // arriving within the test's 15 s can only be the wake-up's doing.
    sql("INSERT INTO " + table + " (method, payload) VALUES ('publish', $1::text::jsonb)", publish(ch, "{\"i\":1}"));
    sql("NOTIFY wake_" + table + ", '0'");
    assertEquals(List.of(1), received(c, ch, 1));
    sql("INSERT INTO " + table + " (method, payload) VALUES ('publish', $1::text::jsonb)", publish(ch, "{\"i\":2}"));
    sql("NOTIFY wake_" + table + ", '0'");
    assertEquals(List.of(2), received(c, ch, 1));
  }

  @Test
  void nodesSharingAnOutboxDeliverEachRowOnce() throws Exception {
    String table = unique("outbox");
    sql(String.format(OUTBOX, table));
    String config = pgConsumer("shared", table, 4, "");
    TestNode n1 = startNode(config);
    TestNode n2 = startNode(config);
    String ch = unique("s");
    // The nodes are not clustered: a row reaches the subscriber of the node that consumed it.
    RawClient c1 = connected(n1, unique("u"));
    RawClient c2 = connected(n2, unique("u"));
    c1.subscribe(ch);
    c2.subscribe(ch);
    int rows = 400;
    StringBuilder values = new StringBuilder();
    for (int i = 1; i <= rows; i++) {
      values.append(i == 1 ? "" : ",").append("('publish', '").append(publish(ch, "{\"i\":" + i + "}"))
          .append("'::jsonb, ").append(i % 4).append(")");
    }
    sql("INSERT INTO " + table + " (method, payload, partition) VALUES " + values);
    eventually(() -> count(table) == 0, "the outbox drained");
    Set<Integer> seen = new HashSet<>();
    List<Integer> duplicates = new ArrayList<>();
    for (RawClient c : List.of(c1, c2)) {
      // Everything consumed was published before its row was deleted: it is at the client or on its way.
      for (ObjectNode m : drain(c, ch)) {
        int i = m.get("push").get("pub").get("data").get("i").asInt();
        if (!seen.add(i)) {
          duplicates.add(i);
        }
      }
    }
    assertEquals(List.of(), duplicates, "rows delivered twice");
    assertEquals(rows, seen.size(), "rows delivered");
  }

  /** Every publication on a channel the client has or gets within a short quiet period. */
  private static List<ObjectNode> drain(RawClient c, String channel) {
    List<ObjectNode> out = new ArrayList<>();
    while (true) {
      try {
        out.add(c.await(pub(channel), Duration.ofMillis(1500)));
      } catch (AssertionError | RuntimeException quiet) {
        return out;
      }
    }
  }

  // ---- Redis Streams ------------------------------------------------------------------------

  static String streamConsumer(String name, String stream, String group, String extra) {
    return "{\"consumers\":[{\"name\":\"" + name + "\",\"enabled\":true,\"type\":\"redis_stream\",\"redis_stream\":{"
        + "\"address\":[\"127.0.0.1:" + redis.port() + "\"],\"streams\":[\"" + stream + "\"],\"consumer_group\":\""
        + group + "\"" + extra + "}}]}";
  }

  @Test
  void streamEntriesArePublishedAndAcknowledgedBadOnesToo() throws Exception {
    String stream = unique("stream");
    TestNode n = startNode(streamConsumer("rs1", stream, "g1", ""));
    String ch = unique("r");
    RawClient c = connected(n, unique("u"));
    c.subscribe(ch);
    for (int i = 1; i <= 30; i++) {
      redis.command("XADD", stream, "*", "method", "publish", "payload", publish(ch, "{\"i\":" + i + "}"));
      if (i == 10) {
        redis.command("XADD", stream, "*", "method", "publish", "nopayload", "x");
        redis.command("XADD", stream, "*", "method", "publish", "payload", "{not json");
        redis.command("XADD", stream, "*", "method", "nosuch", "payload", "{}");
        redis.command("XADD", stream, "*", "payload", "{\"method\":\"publish\",\"payload\":" + publish("nosuchns:x", "1") + "}");
      }
    }
    redis.command("XADD", stream, "*", "payload", "{\"method\":\"publish\",\"payload\":" + publish(ch, "{\"i\":31}") + "}");
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= 31; i++) {
      expected.add(i);
    }
    assertEquals(expected, received(c, ch, 31));
    eventually(() -> pending(stream, "g1") == 0, "every entry acknowledged");
  }

  private static long pending(String stream, String group) {
    try {
      String reply = redis.command("XPENDING", stream, group);
      return Long.parseLong(reply.split("\\s+")[0]);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void entriesOfADeadConsumerAreClaimed() throws Exception {
    String stream = unique("stream");
    String ch = unique("claim");
    redis.command("XGROUP", "CREATE", stream, "g2", "$", "MKSTREAM");
    for (int i = 1; i <= 3; i++) {
      redis.command("XADD", stream, "*", "method", "publish", "payload", publish(ch, "{\"i\":" + i + "}"));
    }
    // A consumer that read the entries and died before acknowledging them.
    redis.command("XREADGROUP", "GROUP", "g2", "dead-node", "COUNT", "10", "STREAMS", stream, ">");
    assertEquals(3, pending(stream, "g2"));
    TestNode n = startNode(streamConsumer("rs2", stream, "g2", ",\"visibility_timeout\":\"300ms\""));
    RawClient c = connected(n, unique("u"));
    c.subscribe(ch);
    assertEquals(List.of(1, 2, 3), received(c, ch, 3));
    eventually(() -> pending(stream, "g2") == 0, "claimed entries acknowledged");
  }
}
