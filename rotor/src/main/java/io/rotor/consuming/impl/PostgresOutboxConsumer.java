package io.rotor.consuming.impl;

import io.rotor.config.PostgresConsumerOptions;
import io.rotor.consuming.Consumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a PostgreSQL outbox table {@code (id, method, payload, partition)}, Centrifugo's layout.
 * Each partition is a loop of transactions: take the partition's advisory lock (so partitions are
 * read by one node at a time, in {@code id} order, however many nodes run the consumer), select up
 * to {@code partition_select_limit} rows {@code FOR UPDATE SKIP LOCKED}, issue their commands in
 * {@code id} order without waiting for each other (pipelined: per-channel order is the order of
 * issue), delete the rows that are done, commit. A command that must be retried stays for the next
 * round, and only it: the rows after it already ran, so on its channel it arrives after them
 * (Centrifugo stops the batch there instead, one command at a time). A node that dies
 * mid-transaction leaves its rows to the next holder of the lock (PostgreSQL rolls the transaction
 * back when the connection drops), so no row is lost; its commands that had already run before the
 * crash run again, which the publish's idempotency key (the row's source key) makes harmless.
 *
 * <p>Everything runs on the Vert.x reactive PostgreSQL client, on the consumer's event loop.
 */
public final class PostgresOutboxConsumer implements Consumer {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresOutboxConsumer.class);

  private final Vertx vertx;
  private final String name;
  private final PostgresConsumerOptions options;
  private final Dispatcher dispatcher;
  private final Pool pool;
  private final String select;
  private final String delete;
  private final String lock;
  private final String lockName;
  private final Partition[] partitions;
  private PgSubscriber subscriber;
  private volatile boolean closed;

  public PostgresOutboxConsumer(Vertx vertx, String name, PostgresConsumerOptions options, Dispatcher dispatcher) {
    this.vertx = vertx;
    this.name = name;
    this.options = options;
    this.dispatcher = dispatcher;
    int n = options.getNumPartitions();
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(n + 1).setName("rotor-consumer-" + name))
        .connectingTo(PgConnectOptions.fromUri(options.getDsn()))
        .using(vertx)
        .build();
    String table = options.getOutboxTableName(); // validated: a plain identifier
    this.select = "SELECT id, method, payload::text FROM " + table
        + " WHERE partition = $1 ORDER BY id ASC LIMIT $2 FOR UPDATE SKIP LOCKED";
    this.delete = "DELETE FROM " + table + " WHERE id = ANY($1)";
    this.lock = options.isUseTryLock() ? "SELECT pg_try_advisory_xact_lock(hashtext($1))"
        : "SELECT true FROM pg_advisory_xact_lock(hashtext($1))";
    // Centrifugo's lock names: a Centrifugo consumer of the same name on the same table shares the locks.
    this.lockName = "centrifugo_partition_lock_" + name;
    this.partitions = new Partition[n];
    for (int i = 0; i < n; i++) {
      partitions[i] = new Partition(i);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Checks the database is reachable, then starts every partition's loop (and LISTEN). */
  public Future<Void> start() {
    return pool.query("SELECT 1").execute().compose(ok -> {
      String channel = options.getPartitionNotificationChannel();
      if (channel.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      String dsn = options.getPartitionNotificationDsn().isEmpty() ? options.getDsn() : options.getPartitionNotificationDsn();
      subscriber = PgSubscriber.subscriber(vertx, PgConnectOptions.fromUri(dsn))
          .reconnectPolicy(retries -> 1000L); // keep listening through database restarts
      subscriber.channel(channel).handler(this::notified);
      return subscriber.connect();
    }).onSuccess(v -> {
      for (Partition p : partitions) {
        p.run();
      }
      LOG.info("consumer {}: reading {} partition(s) of {}", name, partitions.length, options.getOutboxTableName());
    });
  }

  private void notified(String payload) {
    int p;
    try {
      p = Integer.parseInt(payload.trim());
    } catch (NumberFormatException e) {
      LOG.error("consumer {}: notification payload \"{}\" is not a partition number", name, payload);
      return;
    }
    if (p < 0 || p >= partitions.length) {
      LOG.error("consumer {}: notified partition {} is out of range 0..{}", name, p, partitions.length - 1);
      return;
    }
    partitions[p].wake();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    for (Partition p : partitions) {
      p.stop();
    }
    Future<Void> s = subscriber == null ? Future.succeededFuture() : subscriber.close();
    return s.transform(v -> pool.close());
  }

  /** Result of one transaction on a partition. */
  private record Round(int rows, boolean retry, boolean locked) {
  }

  private final class Partition {
    private final int index;
    private final Backoff backoff = new Backoff();
    private long timer = -1;
    private boolean running;
    private boolean wakeRequested;

    Partition(int index) {
      this.index = index;
    }

    void run() {
      if (closed) {
        return;
      }
      running = true;
      wakeRequested = false;
      pool.withTransaction(this::round).onComplete(done -> {
        running = false;
        if (closed) {
          return;
        }
        if (done.failed()) {
          LOG.error("consumer {}: partition {} of {}: {}", name, index, options.getOutboxTableName(),
              done.cause().toString());
          schedule(backoff.next());
          return;
        }
        Round r = done.result();
        if (r.retry()) {
          schedule(backoff.next());
          return;
        }
        backoff.reset();
        if (r.locked() && r.rows() >= options.getPartitionSelectLimit() || wakeRequested) {
          run(); // there may be more rows right away
        } else {
          schedule(options.getPartitionPollInterval().toMillis());
        }
      });
    }

    private Future<Round> round(SqlConnection conn) {
      return conn.preparedQuery(lock).execute(Tuple.of(lockName + index)).compose(locked -> {
        if (options.isUseTryLock() && !locked.iterator().next().getBoolean(0)) {
          return Future.succeededFuture(new Round(0, false, false));
        }
        return conn.preparedQuery(select).execute(Tuple.of(index, options.getPartitionSelectLimit())).compose(rows -> {
          List<Long> ids = new ArrayList<>(rows.size());
          List<Future<Dispatcher.Outcome>> outcomes = new ArrayList<>(rows.size());
          // Issued in id order without waiting for each other: each publication reaches its channel's
          // sequencer in the order issued (one context, FIFO hops), so per-channel order holds, and a
          // batch costs about one round trip instead of one per row.
          for (Row row : rows) {
            if (closed) {
              break;
            }
            String payload = row.getString(2);
            ids.add(row.getLong(0));
            outcomes.add(dispatcher.dispatch("row " + row.getLong(0), row.getString(1),
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8)));
          }
          return Future.join(outcomes).transform(x -> {
            List<Long> done = new ArrayList<>(ids.size());
            boolean retry = false;
            for (int i = 0; i < ids.size(); i++) {
              Future<Dispatcher.Outcome> o = outcomes.get(i);
              if (o.succeeded() && o.result() == Dispatcher.Outcome.DONE) {
                done.add(ids.get(i));
              } else {
                retry = true; // kept for the next round; the rows after it that are done are deleted
              }
            }
            int n = rows.size();
            boolean again = retry;
            if (done.isEmpty()) {
              return Future.succeededFuture(new Round(n, again, true));
            }
            return conn.preparedQuery(delete).execute(Tuple.of(done.toArray(new Long[0])))
                .map(y -> new Round(n, again, true));
          });
        });
      });
    }

    void schedule(long delayMs) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> {
        timer = -1;
        run();
      });
    }

    void wake() {
      if (running) {
        wakeRequested = true;
      } else if (timer >= 0 && vertx.cancelTimer(timer)) {
        timer = -1;
        run();
      }
    }

    void stop() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }
}
