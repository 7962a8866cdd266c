package io.rotor.cluster;

import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.RedisProcess;
import io.rotor.testing.TestCluster;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis data loss through the cluster (torture case 5): FLUSHALL under two nodes. Whichever node
 * a client is on, and whether or not anything is published after the loss, it is moved to the new
 * epoch (2500 from a live publication or from the position check), is never told it recovered
 * across the loss, and history asked with the old epoch answers 112 on every node.
 */
@Tag("torture-fast")
class RedisDataLossTest {

  private static final Duration CHECK = Duration.ofSeconds(2);
  private static final String CONFIG = "{\"client\": {\"channel_position_check_delay\": \"" + CHECK.toSeconds() + "s\"},"
      + "\"channel\": {\"namespaces\": [{\"name\": \"loss\", \"history_size\": 100, \"history_ttl\": \"600s\","
      + " \"force_recovery\": true, \"allow_subscribe_for_client\": true}]}}";

  @Test
  void everyNodeMovesItsClientsToTheNewEpochAndNobodyRecoversAcrossTheLoss() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<RawClient> clients = new ArrayList<>();
    try (RedisProcess redis = RedisProcess.start();
         TestCluster cluster = TestCluster.start(2, i -> redis.address(), CONFIG)) {
      List<String> ids = cluster.nodes().stream().map(n -> n.server().nodeId()).toList();
      List<Integer> ports = cluster.nodes().stream().map(TestNode::port).toList();
      // Published after the loss, through the node that does not own it: the owner starts the epoch.
      String published = ChannelOwners.channelOwnedBy("loss:pub", ids.get(0), ids);
      // Nothing published after the loss: only the position check can tell its subscribers.
      String silent = ChannelOwners.channelOwnedBy("loss:silent", ids.get(1), ids);
      RawClient.Api viaOther = new RawClient.Api(ports.get(1));

      List<String> channels = List.of(published, silent);
      List<String> oldEpochs = new ArrayList<>();
      for (String ch : channels) {
        for (int port : ports) {
          RawClient c = RawClient.open(vertx, port).autoPong(true);
          clients.add(c);
          c.connect(token("u" + port));
          c.subscribe(ch);
        }
        for (int n = 1; n <= 3; n++) {
          viaOther.publish(ch, "{\"n\":" + n + "}");
        }
        oldEpochs.add(viaOther.result("history", "{\"channel\":\"" + ch + "\",\"limit\":0}").get("epoch").asText());
      }
      for (RawClient c : clients) {
        c.await(m -> m.has("push") && m.get("push").has("pub") && m.get("push").get("pub").get("offset").asLong() == 3);
      }

      redis.command("FLUSHALL");
      long lost = System.nanoTime();
      ObjectNode after = viaOther.result("publish", "{\"channel\":\"" + published + "\",\"data\":{\"n\":4}}");
      assertEquals(1, after.get("offset").asLong(), "offsets restart in the new stream");
      assertNotEquals(oldEpochs.get(0), after.get("epoch").asText());

      long limitMs = CHECK.toMillis() + 1000 + 3000; // one interval, the grace, a busy machine
      for (int i = 0; i < clients.size(); i++) {
        RawClient c = clients.get(i);
        String ch = channels.get(i / ports.size());
        String oldEpoch = oldEpochs.get(i / ports.size());
        ObjectNode unsub = c.await(push(ch, "unsubscribe"), Duration.ofMillis(limitMs));
        assertEquals(2500, unsub.get("push").get("unsubscribe").get("code").asInt());
        ObjectNode r = c.call("subscribe", RawClient.JSON.createObjectNode()
            .put("channel", ch).put("recover", true).put("offset", 3).put("epoch", oldEpoch));
        JsonNode again = r.get("subscribe");
        assertFalse(again.path("recovered").asBoolean(), () -> "recovered across a data loss: " + r);
        assertNotEquals(oldEpoch, again.get("epoch").asText(), "the new epoch");
        assertFalse(again.has("publications"), () -> "publications from across the loss: " + r);
      }
      long movedMs = (System.nanoTime() - lost) / 1_000_000;
      System.out.println("REDIS DATA LOSS: " + clients.size() + " clients on 2 nodes on the new epoch "
          + movedMs + " ms after FLUSHALL (check interval " + CHECK.toMillis() + " ms)");

      for (int port : ports) {
        RawClient.Api api = new RawClient.Api(port);
        for (int k = 0; k < channels.size(); k++) {
          ObjectNode reply = api.call("history", "{\"channel\":\"" + channels.get(k)
              + "\",\"limit\":-1,\"since\":{\"offset\":1,\"epoch\":\"" + oldEpochs.get(k) + "\"}}");
          assertEquals(112, reply.path("error").path("code").asInt(), reply::toString);
        }
      }
      // Both nodes agree on the new epoch.
      String epoch = new RawClient.Api(ports.get(0)).result("history", "{\"channel\":\"" + published + "\",\"limit\":0}")
          .get("epoch").asText();
      assertEquals(after.get("epoch").asText(), epoch);
    } finally {
      clients.forEach(RawClient::close);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
