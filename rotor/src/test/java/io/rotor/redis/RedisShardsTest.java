package io.rotor.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.RedisOptions;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TcpProxy;
import io.rotor.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code engine.redis.command_timeout}: a Redis path that swallows replies (requests arrive, answers
 * never come back, no error) fails commands after the timeout instead of leaving them, and the
 * publishes waiting on them, pending forever; the ordered connection is replaced so the replies it
 * still owes cannot be matched to later commands.
 */
class RedisShardsTest {

  @Test
  void aSwallowedReplyFailsTheCommandAndTheOrderedConnectionIsReplaced() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisProcess redis = RedisProcess.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port())) {
      RedisShards shards = new RedisShards(vertx, new RedisOptions().setAddress(List.of(proxy.address()))
          .setCommandTimeout(Duration.ofMillis(300)));
      RedisShards.Shard shard = shards.all().get(0);
      Context sequencer = vertx.getOrCreateContext();
      assertEquals("a", reply(on(sequencer, () -> shard.sendOrdered(echo("a")))));

      proxy.loseReplies();
      long start = System.nanoTime();
      Throwable ordered = failure(on(sequencer, () -> shard.sendOrdered(echo("lost"))));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertInstanceOf(RedisShards.RedisTimeoutException.class, ordered);
      assertTrue(tookMs >= 250 && tookMs < 5_000, "failed after about the timeout: " + tookMs + " ms");
      assertInstanceOf(RedisShards.RedisTimeoutException.class, failure(on(sequencer, () -> shard.send(echo("x")))));

      // Healed: on the old connection the next reply would be taken for the lost one's and this
      // call would hang; on the replacement it is answered as sent.
      proxy.restore();
      assertEquals("b", reply(on(sequencer, () -> shard.sendOrdered(echo("b")))));
      assertEquals("c", reply(on(sequencer, () -> shard.send(echo("c")))));
      shards.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPublishWithHistoryFailsInsteadOfHangingWhenRedisSwallowsReplies() throws Exception {
    try (RedisProcess redis = RedisProcess.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port());
         TestNode node = TestNode.start(RawClient.config("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\""
             + proxy.address() + "\"], \"command_timeout\": \"1500ms\"}}}"), Map.of())) {
      RawClient.Api api = new RawClient.Api(node.port());
      assertEquals(1, api.publish("h", "{\"n\":1}"));

      proxy.loseReplies();
      HttpResponse<String> r = api.publishAsync("h", "{\"n\":2}").get(8, TimeUnit.SECONDS);
      assertTrue(r.body().contains("\"error\""), "the publish is answered with an error: " + r.body());

      proxy.restore();
      long offset = api.publish("h", "{\"n\":3}");
      assertTrue(offset >= 2, "publishing works again on a fresh connection, offset " + offset);
    }
  }

  /**
   * The reconnect storm's "Attempt to recycle more than permitted": the ordered connection takes
   * longer than the timeout to open (its handshake is answered late), every call waiting on it
   * fails, and the connection that arrives late must go back to the pool exactly once, not once per
   * waiting call.
   */
  @Test
  void aConnectionThatOpensAfterTheTimeoutIsReleasedOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    try (RedisProcess redis = RedisProcess.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port())) {
      RedisShards shards = new RedisShards(vertx, new RedisOptions().setAddress(List.of(proxy.address()))
          .setCommandTimeout(Duration.ofMillis(300)));
      RedisShards.Shard shard = shards.all().get(0);
      Context sequencer = vertx.getOrCreateContext();
      proxy.delayReplies(700);
      List<Future<Response>> waiting = new java.util.ArrayList<>();
      Promise<Void> sent = Promise.promise();
      sequencer.runOnContext(v -> {
        for (int i = 0; i < 3; i++) {
          waiting.add(shard.sendOrdered(echo("w" + i)));
        }
        sent.complete();
      });
      sent.future().await(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      for (Future<Response> f : waiting) {
        assertInstanceOf(RedisShards.RedisTimeoutException.class, failure(f));
      }
      // The late connection arrives ~700 ms after the connect; nothing announces its release, so
      // wait past its arrival: the absence of a second recycle is the point.
      Thread.sleep(Math.max(0, 1_500 - (System.nanoTime() - start) / 1_000_000));
      assertEquals(List.of(), unhandled, "the late connection was released once");
      proxy.delayReplies(0);
      assertEquals("b", reply(on(sequencer, () -> shard.sendOrdered(echo("b")))));
      assertEquals("c", reply(on(sequencer, () -> shard.send(echo("c")))));
      assertEquals(List.of(), unhandled);
      shards.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Request echo(String s) {
    return Request.cmd(Command.ECHO).arg(s);
  }

  private static <T> Future<T> on(Context context, Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  private static String reply(Future<Response> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS).toString();
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (CompletionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure, got a reply");
  }
}
