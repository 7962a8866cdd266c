package io.rotor.consuming.impl;

import io.rotor.config.RedisStreamConsumerOptions;
import io.rotor.consuming.Consumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes Redis streams with a consumer group: {@code XREADGROUP} on a dedicated connection per
 * stream (per worker: {@code num_workers} readers per stream; with more than one, batches run side by
 * side and the stream's order is not kept), a batch's commands run through the server API, then one
 * {@code XACK} for those done. An entry whose command
 * must be retried is left pending; entries pending longer than {@code visibility_timeout} (their
 * consumer died, or asked for a retry) are taken over with {@code XAUTOCLAIM} by whichever node's
 * reclaimer comes first, so a dead node's entries are not stuck. Bad entries are logged with their
 * id and acknowledged.
 */
public final class RedisStreamConsumer implements Consumer {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStreamConsumer.class);
  private static final long BLOCK_MS = 2000;
  private static final int COUNT = 100;

  private final Vertx vertx;
  private final String name;
  private final RedisStreamConsumerOptions options;
  private final Dispatcher dispatcher;
  private final Redis redis;
  /** This node's consumer in the group: unique per process, so a restarted node never inherits by name. */
  private final String consumerId;
  private final List<StreamReader> readers = new ArrayList<>();
  private volatile boolean closed;

  public RedisStreamConsumer(Vertx vertx, String name, RedisStreamConsumerOptions options, Dispatcher dispatcher) {
    this.vertx = vertx;
    this.name = name;
    this.options = options;
    this.dispatcher = dispatcher;
    RedisOptions ro = new RedisOptions()
        .setConnectionString(connectionString(options.getAddress().get(0), options.getDb()))
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        // One blocking connection per reader, plus a few for XACK / XAUTOCLAIM / XGROUP.
        .setMaxPoolSize(options.getStreams().size() * options.getNumWorkers() + 4)
        .setMaxPoolWaiting(10_000)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) options.getConnectTimeout().toMillis()));
    if (!options.getUser().isEmpty()) {
      ro.setUser(options.getUser());
    }
    if (!options.getPassword().isEmpty()) {
      ro.setPassword(options.getPassword());
    }
    this.redis = Redis.createClient(vertx, ro);
    this.consumerId = name + "-" + UUID.randomUUID();
  }

  static String connectionString(String address, int db) {
    String a = address.startsWith("redis://") || address.startsWith("rediss://") ? address : "redis://" + address;
    return db != 0 && !a.matches(".*/\\d+$") ? a + "/" + db : a;
  }

  @Override
  public String name() {
    return name;
  }

  public Future<Void> start() {
    List<Future<Void>> groups = new ArrayList<>();
    for (String stream : options.getStreams()) {
      groups.add(createGroup(stream));
    }
    return Future.all(groups).<Void>mapEmpty().onSuccess(v -> {
      for (String stream : options.getStreams()) {
        for (int w = 0; w < options.getNumWorkers(); w++) {
          StreamReader r = new StreamReader(stream);
          readers.add(r);
          r.read();
          if (w == 0) {
            r.scheduleReclaim(); // one reclaimer per stream and node is enough
          }
        }
      }
      LOG.info("consumer {}: reading streams {} as {} in group {}", name, options.getStreams(), consumerId,
          options.getConsumerGroup());
    });
  }

  /** XGROUP CREATE ... $ MKSTREAM, as Centrifugo: a new group starts with the entries added after it. */
  private Future<Void> createGroup(String stream) {
    return send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(options.getConsumerGroup()).arg("$")
        .arg("MKSTREAM")).<Void>mapEmpty().recover(e -> String.valueOf(e.getMessage()).startsWith("BUSYGROUP")
        ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private Future<Response> send(Request r) {
    return redis.send(r).timeout(options.getIoTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    readers.forEach(r -> closing.add(r.close()));
    return Future.join(closing).transform(v -> redis.close());
  }

  private final class StreamReader {
    private final String stream;
    private final Backoff backoff = new Backoff();
    private RedisConnection blocking;
    private long reclaimTimer = -1;

    StreamReader(String stream) {
      this.stream = stream;
    }

    /** One XREADGROUP round, then the next; a failure reconnects after a backoff. */
    void read() {
      if (closed) {
        return;
      }
      Future<RedisConnection> conn = blocking != null ? Future.succeededFuture(blocking) : redis.connect().map(c -> {
        blocking = c;
        c.exceptionHandler(e -> LOG.warn("consumer {}: stream {}: {}", name, stream, e.toString()));
        return c;
      });
      conn.compose(c -> c.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(options.getConsumerGroup())
              .arg(consumerId).arg("COUNT").arg(COUNT).arg("BLOCK").arg(BLOCK_MS).arg("STREAMS").arg(stream).arg(">"))
              .timeout(BLOCK_MS + options.getIoTimeout().toMillis(), TimeUnit.MILLISECONDS))
          .compose(reply -> process(entriesOfRead(reply)))
          .onComplete(done -> {
            if (closed) {
              return;
            }
            if (done.succeeded()) {
              backoff.reset();
              read();
              return;
            }
            String error = String.valueOf(done.cause().getMessage());
            LOG.error("consumer {}: reading stream {}: {}", name, stream, done.cause().toString());
            dropConnection();
            Future<Void> fix = error.startsWith("NOGROUP") ? createGroup(stream) : Future.succeededFuture();
            fix.onComplete(x -> vertx.setTimer(backoff.next(), t -> read()));
          });
    }

    private void dropConnection() {
      if (blocking != null) {
        blocking.close();
        blocking = null;
      }
    }

    /** Takes over entries pending longer than the visibility timeout, then runs them as new ones. */
    void scheduleReclaim() {
      long every = Math.max(100, Math.min(5000, options.getVisibilityTimeout().toMillis() / 2));
      reclaimTimer = vertx.setTimer(every, t -> reclaim("0-0").onComplete(done -> {
        if (done.failed()) {
          LOG.error("consumer {}: claiming stuck entries of {}: {}", name, stream, done.cause().toString());
        }
        if (!closed) {
          scheduleReclaim();
        }
      }));
    }

    private Future<Void> reclaim(String cursor) {
      if (closed) {
        return Future.succeededFuture();
      }
      return send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(options.getConsumerGroup()).arg(consumerId)
          .arg(options.getVisibilityTimeout().toMillis()).arg(cursor).arg("COUNT").arg(COUNT))
          .compose(reply -> {
            String next = reply.get(0).toString();
            List<Entry> entries = entries(reply.get(1));
            if (!entries.isEmpty()) {
              LOG.warn("consumer {}: claimed {} stuck entries of {}", name, entries.size(), stream);
            }
            return process(entries).compose(v -> "0-0".equals(next) ? Future.succeededFuture() : reclaim(next));
          });
    }

    /**
     * Runs a batch's commands, issued in stream order without waiting for each other (pipelined:
     * per-channel order is the order of issue), then acknowledges the ones done with one XACK. An
     * entry to retry is left pending: claimed again after visibility_timeout.
     */
    private Future<Void> process(List<Entry> entries) {
      List<Future<Dispatcher.Outcome>> outcomes = new ArrayList<>(entries.size());
      for (Entry e : entries) {
        if (closed) {
          break;
        }
        outcomes.add(dispatch(e));
      }
      return Future.join(outcomes).transform(x -> {
        Request ack = Request.cmd(Command.XACK).arg(stream).arg(options.getConsumerGroup());
        int done = 0;
        for (int i = 0; i < outcomes.size(); i++) {
          Future<Dispatcher.Outcome> o = outcomes.get(i);
          if (o.succeeded() && o.result() == Dispatcher.Outcome.DONE) {
            ack.arg(entries.get(i).id);
            done++;
          }
        }
        return done == 0 ? Future.succeededFuture() : send(ack).mapEmpty();
      });
    }

    private Future<Dispatcher.Outcome> dispatch(Entry e) {
      if (e.payload == null) {
        LOG.error("consumer {}: skipping entry {} of {}: {}", name, e.id, stream, e.deleted
            ? "deleted from the stream" : "no \"" + options.getPayloadValue() + "\" field");
        return Future.succeededFuture(Dispatcher.Outcome.DONE);
      }
      return dispatcher.dispatch("entry " + e.id + " of " + stream, e.method, e.payload);
    }

    /** XREADGROUP's reply: null on timeout, else [[stream, [entry...]]]. */
    private List<Entry> entriesOfRead(Response reply) {
      if (reply == null || reply.size() == 0) {
        return List.of();
      }
      return entries(reply.get(0).get(1));
    }

    /** [[id, [field, value, ...]], ...]; an entry deleted while pending comes as [id, nil]. */
    private List<Entry> entries(Response list) {
      List<Entry> out = new ArrayList<>();
      if (list == null) {
        return out;
      }
      for (Response item : list) {
        String id = item.get(0).toString();
        Response fields = item.size() > 1 ? item.get(1) : null;
        String method = "";
        byte[] payload = null;
        if (fields != null) {
          for (int i = 0; i + 1 < fields.size(); i += 2) {
            String field = fields.get(i).toString();
            if (field.equals(options.getPayloadValue())) {
              payload = fields.get(i + 1).toBytes();
            } else if (!options.getMethodValue().isEmpty() && field.equals(options.getMethodValue())) {
              method = fields.get(i + 1).toString();
            }
          }
        }
        out.add(new Entry(id, method, payload, fields == null));
      }
      return out;
    }

    Future<Void> close() {
      if (reclaimTimer >= 0) {
        vertx.cancelTimer(reclaimTimer);
      }
      Future<Void> c = blocking == null ? Future.succeededFuture() : blocking.close();
      blocking = null;
      return c;
    }
  }

  private record Entry(String id, String method, byte[] payload, boolean deleted) {
  }
}
