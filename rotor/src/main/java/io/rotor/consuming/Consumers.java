package io.rotor.consuming;

import io.rotor.api.ServerApi;
import io.rotor.config.ConsumerOptions;
import io.rotor.consuming.impl.Dispatcher;
import io.rotor.consuming.impl.PostgresOutboxConsumer;
import io.rotor.consuming.impl.RedisStreamConsumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * The enabled entries of {@code consumers}, each running in its own verticle (so on one event loop
 * of its own): commands read from PostgreSQL or Redis go through the same {@link ServerApi} as the
 * HTTP API.
 */
public final class Consumers {

  private final Vertx vertx;
  private final List<String> deployments;

  private Consumers(Vertx vertx, List<String> deployments) {
    this.vertx = vertx;
    this.deployments = deployments;
  }

  public static Future<Consumers> start(Vertx vertx, ServerApi api, List<ConsumerOptions> options) {
    List<String> deployments = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (ConsumerOptions o : options) {
      if (!o.isEnabled()) {
        continue;
      }
      chain = chain.compose(v -> vertx.deployVerticle(new ConsumerVerticle(api, o)).map(id -> {
        deployments.add(id);
        return null;
      }));
    }
    Consumers c = new Consumers(vertx, deployments);
    return chain.map(c).recover(e -> c.close().transform(x -> Future.failedFuture(e)));
  }

  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    deployments.forEach(id -> closed.add(vertx.undeploy(id)));
    return Future.join(closed).mapEmpty();
  }

  /** Thin: builds the consumer on its context, closes it on undeploy. */
  private static final class ConsumerVerticle extends VerticleBase {
    private final ServerApi api;
    private final ConsumerOptions options;
    private Consumer consumer;

    ConsumerVerticle(ServerApi api, ConsumerOptions options) {
      this.api = api;
      this.options = options;
    }

    @Override
    public Future<?> start() {
      Dispatcher dispatcher = new Dispatcher(api, options.getName());
      if (ConsumerOptions.POSTGRESQL.equals(options.getType())) {
        PostgresOutboxConsumer pg = new PostgresOutboxConsumer(vertx, options.getName(), options.getPostgresql(), dispatcher);
        consumer = pg;
        return pg.start().recover(e -> pg.close().transform(x -> Future.failedFuture(failure(e))));
      }
      RedisStreamConsumer rs = new RedisStreamConsumer(vertx, options.getName(), options.getRedisStream(), dispatcher);
      consumer = rs;
      return rs.start().recover(e -> rs.close().transform(x -> Future.failedFuture(failure(e))));
    }

    private IllegalStateException failure(Throwable e) {
      return new IllegalStateException("consumer " + options.getName() + " (" + options.getType() + ") cannot start: "
          + e.getMessage(), e);
    }

    @Override
    public Future<?> stop() {
      return consumer == null ? Future.succeededFuture() : consumer.close();
    }
  }
}
