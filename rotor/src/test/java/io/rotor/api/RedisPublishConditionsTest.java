package io.rotor.api;

import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link PublishConditionsTest} on the Redis engine (a real redis-server): the idempotency record
 * and the channel's top version live in Redis, checked by the same Lua script that assigns offsets.
 */
class RedisPublishConditionsTest extends PublishConditionsTest {

  private static RedisProcess redis;
  private static TestNode redisNode;
  private static RawClient.Api redisApi;

  @BeforeAll
  static void startRedisNode() {
    redis = RedisProcess.start();
    redisNode = TestNode.start(RawClient.config("{\"engine\": {\"type\": \"redis\", \"redis\": {\"address\": [\""
        + redis.address() + "\"], \"prefix\": \"conditions\"}}}"), Map.of());
    redisApi = new RawClient.Api(redisNode.port());
  }

  @AfterAll
  static void stopRedisNode() throws Exception {
    redisNode.close();
    redis.close();
  }

  @Override
  protected RawClient.Api api() {
    return redisApi;
  }

  @Override
  protected RawClient connected(String user) {
    return connected(redisNode, user);
  }
}
