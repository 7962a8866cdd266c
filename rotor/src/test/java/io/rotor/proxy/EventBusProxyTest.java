package io.rotor.proxy;

import static io.rotor.testing.RawClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same hooks answered by a Vert.x service on the event bus instead of an HTTP backend. */
class EventBusProxyTest extends SharedNodeTest {

  @Test
  void aVertxServiceAnswersConnectAndRpc() throws Exception {
    TestNode n = startNode("""
        {"client": {"proxy": {"connect": {"enabled": true, "endpoint": "eventbus://app.connect"}}},
         "rpc": {"without_namespace": {"proxy_enabled": true}, "proxy": {"endpoint": "eventbus://app.rpc"}}}
        """);
    BlockingQueue<JsonObject> seen = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> connect = n.vertx().eventBus().consumer("app.connect", m -> {
      seen.add(m.body());
      m.reply(new JsonObject().put("result", new JsonObject().put("user", "eb-user")
          .put("data", new JsonObject().put("via", "eventbus"))));
    });
    MessageConsumer<JsonObject> rpc = n.vertx().eventBus().consumer("app.rpc", m ->
        // A JSON string is a valid reply too.
        m.reply("{\"result\":{\"data\":{\"user\":\"" + m.body().getString("user") + "\",\"method\":\""
            + m.body().getString("method") + "\"}}}"));
    connect.completion().await(5, TimeUnit.SECONDS);
    rpc.completion().await(5, TimeUnit.SECONDS);

    RawClient c = open(n);
    ObjectNode result = c.connect(null);
    assertEquals(json("{\"via\":\"eventbus\"}"), result.get("data"));
    JsonObject req = seen.poll(5, TimeUnit.SECONDS);
    assertEquals(result.get("client").asText(), req.getString("client"));
    assertEquals("websocket", req.getString("transport"));

    ObjectNode reply = c.call("rpc", "{\"method\":\"whoami\"}");
    assertEquals(json("{\"user\":\"eb-user\",\"method\":\"whoami\"}"), reply.get("rpc").get("data"), reply::toString);

    // The service goes away: the next call gets 100 at once (no handlers), the connection stays.
    rpc.unregister().await(5, TimeUnit.SECONDS);
    ObjectNode failed = c.call("rpc", "{\"method\":\"whoami\"}");
    assertEquals(100, failed.get("error").get("code").asInt(), failed::toString);
    assertTrue(c.call("rpc", "{\"method\":\"x\"}").has("error"));

    // An error answer from the service reaches the client as is.
    n.vertx().eventBus().<JsonObject>consumer("app.rpc", m -> m.reply(new JsonObject()
        .put("error", new JsonObject().put("code", 1404).put("message", "nope")))).completion().await(5, TimeUnit.SECONDS);
    assertEquals(1404, c.call("rpc", "{\"method\":\"x\"}").get("error").get("code").asInt());
  }
}
