package io.rotor.client;

import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Positioning and stream recovery through the wire: what a client that resubscribes (or reconnects)
 * with {@code recover:true, offset, epoch} gets back, including when publications race with the
 * recovery itself.
 */
class RecoveryTest extends SharedNodeTest {

  private static String channel(String prefix) {
    return unique(prefix);
  }

  /** Sends a recovering subscribe and returns the whole reply. */
  private static ObjectNode recover(RawClient c, String ch, long offset, String epoch, int flag) {
    ObjectNode body = RawClient.JSON.createObjectNode()
        .put("channel", ch).put("recover", true).put("offset", offset).put("epoch", epoch);
    if (flag != 0) {
      body.put("flag", flag);
    }
    return c.call("subscribe", body);
  }

  private static ObjectNode result(ObjectNode reply) {
    assertTrue(reply.has("subscribe"), () -> "expected a subscribe result, got " + reply);
    return (ObjectNode) reply.get("subscribe");
  }

  private static int publications(ObjectNode result) {
    JsonNode pubs = result.get("publications");
    return pubs == null ? 0 : pubs.size();
  }

  private static void publishN(String ch, int n) {
    for (int i = 1; i <= n; i++) {
      api.publish(ch, "{\"n\":" + i + "}");
    }
  }

  @Test
  void subscribeToARecoverableChannelReportsThePosition() {
    String ch = channel("pos");
    RawClient first = connected("p1");
    ObjectNode r = first.subscribe(ch);
    assertTrue(r.path("recoverable").asBoolean(), r::toString);
    assertTrue(r.path("positioned").asBoolean(), r::toString);
    String epoch = r.path("epoch").asText();
    assertFalse(epoch.isEmpty(), r::toString);
    assertEquals(0, r.path("offset").asLong(), r::toString);
    assertFalse(r.has("recovered"), r::toString);
    assertFalse(r.has("was_recovering"), r::toString);

    publishN(ch, 3);
    ObjectNode again = connected("p2").subscribe(ch);
    assertEquals(epoch, again.get("epoch").asText(), "same stream, same epoch");
    assertEquals(3, again.get("offset").asLong());
    assertEquals(0, publications(again), "no publications without recovery");
  }

  @Test
  void recoveryReturnsExactlyTheMissedPublicationsInOrder() {
    String ch = channel("missed");
    publishN(ch, 2);
    RawClient before = connected("r1");
    ObjectNode pos = before.subscribe(ch);
    long k = pos.get("offset").asLong();
    String epoch = pos.get("epoch").asText();
    assertEquals(2, k);
    before.close();

    int n = 5;
    for (int i = 1; i <= n; i++) {
      api.publish(ch, "{\"missed\":" + i + "}");
    }

    RawClient after = connected("r1");
    ObjectNode r = result(recover(after, ch, k, epoch, 1));
    assertTrue(r.path("recovered").asBoolean(), r::toString);
    assertTrue(r.path("was_recovering").asBoolean(), r::toString);
    assertTrue(r.path("recoverable").asBoolean(), r::toString);
    assertTrue(r.path("positioned").asBoolean(), r::toString);
    assertEquals(epoch, r.get("epoch").asText());
    assertEquals(k, r.get("offset").asLong(), "the reply carries the client's own offset");
    JsonNode pubs = r.get("publications");
    assertEquals(n, pubs.size(), r::toString);
    for (int i = 0; i < n; i++) {
      assertEquals(k + 1 + i, pubs.get(i).get("offset").asLong(), r::toString);
      assertEquals(i + 1, pubs.get(i).get("data").get("missed").asInt(), r::toString);
    }

    // Live delivery continues right after the recovered ones, with nothing replayed in between.
    long next = api.publish(ch, "{\"live\":true}");
    assertEquals(k + n + 1, next);
    ObjectNode live = after.next();
    assertEquals(next, live.get("push").get("pub").get("offset").asLong(), live::toString);
    assertTrue(live.get("push").get("pub").get("data").get("live").asBoolean());
  }

  @Test
  void resubscribeOnTheSameConnectionRecoversToo() {
    String ch = channel("resub");
    RawClient c = connected("same");
    ObjectNode pos = c.subscribe(ch);
    assertTrue(c.call("unsubscribe", "{\"channel\":\"" + ch + "\"}").has("unsubscribe"));
    publishN(ch, 4);
    ObjectNode r = result(recover(c, ch, pos.get("offset").asLong(), pos.get("epoch").asText(), 0));
    assertTrue(r.path("recovered").asBoolean(), r::toString);
    assertEquals(4, publications(r), r::toString);
  }

  @Test
  void emptyStreamIsRecovered() {
    String ch = channel("empty");
    RawClient c = connected("e");
    ObjectNode r = result(recover(c, ch, 0, "", 1));
    assertTrue(r.path("recovered").asBoolean(), r::toString);
    assertTrue(r.path("was_recovering").asBoolean(), r::toString);
    assertEquals(0, publications(r), r::toString);
    assertEquals(0, r.path("offset").asLong(), r::toString);
    assertFalse(r.path("epoch").asText().isEmpty(), "the reply tells the stream's epoch: " + r);
  }

  @Test
  void recoveryFromTheCurrentTopIsRecoveredWithoutPublications() {
    String ch = channel("top");
    publishN(ch, 3);
    RawClient c = connected("t");
    ObjectNode pos = c.subscribe(ch);
    c.close();
    RawClient again = connected("t");
    ObjectNode r = result(recover(again, ch, pos.get("offset").asLong(), pos.get("epoch").asText(), 1));
    assertTrue(r.path("recovered").asBoolean(), r::toString);
    assertEquals(0, publications(r), r::toString);
    assertEquals(3, r.get("offset").asLong());
  }

  @Test
  void trimmedPositionIsNotRecovered() {
    // Namespace "small" keeps 5 publications.
    String ch = "small:" + channel("trim");
    RawClient c = connected("trim");
    ObjectNode pos = c.subscribe(ch);
    String epoch = pos.get("epoch").asText();
    c.close();
    publishN(ch, 20);

    RawClient again = connected("trim");
    ObjectNode r = result(recover(again, ch, 1, epoch, 1));
    assertFalse(r.path("recovered").asBoolean(), r::toString);
    assertTrue(r.path("was_recovering").asBoolean(), r::toString);
    assertEquals(0, publications(r), "never a partial recovery: " + r);
    assertEquals(20, r.get("offset").asLong(), "an unrecovered subscription starts from the top");
    assertEquals(epoch, r.get("epoch").asText());

    // Recovering from inside the kept window works.
    RawClient third = connected("trim");
    ObjectNode ok = result(recover(third, ch, 15, epoch, 1));
    assertTrue(ok.path("recovered").asBoolean(), ok::toString);
    assertEquals(5, publications(ok), ok::toString);
    assertEquals(16, ok.get("publications").get(0).get("offset").asLong());

    // And with rejectUnrecovered the trimmed position is an error.
    RawClient fourth = connected("trim");
    assertEquals(112, recover(fourth, ch, 1, epoch, 3).get("error").get("code").asInt());
  }

  @Test
  void epochMismatchIsNotRecovered() {
    String ch = channel("epoch");
    publishN(ch, 3);
    RawClient c = connected("ep");
    ObjectNode r = result(recover(c, ch, 2, "notthis", 1));
    assertFalse(r.path("recovered").asBoolean(), r::toString);
    assertTrue(r.path("was_recovering").asBoolean(), r::toString);
    assertEquals(0, publications(r), r::toString);
    assertEquals(3, r.get("offset").asLong());
    assertFalse("notthis".equals(r.get("epoch").asText()), "the reply tells the real epoch");
  }

  @Test
  void futureOffsetIsNotRecovered() {
    String ch = channel("future");
    publishN(ch, 3);
    RawClient c = connected("fut");
    ObjectNode pos = c.subscribe(ch);
    c.close();
    RawClient again = connected("fut");
    ObjectNode r = result(recover(again, ch, 10, pos.get("epoch").asText(), 1));
    assertFalse(r.path("recovered").asBoolean(), r::toString);
    assertEquals(0, publications(r), r::toString);
    assertEquals(3, r.get("offset").asLong());
  }

  @Test
  void epochMismatchWithRejectUnrecoveredIs112() {
    String ch = channel("reject");
    publishN(ch, 2);
    RawClient c = connected("rej");
    ObjectNode reply = recover(c, ch, 1, "notthis", 2);
    assertEquals(112, reply.get("error").get("code").asInt(), reply::toString);
    // The failed subscribe left no subscription behind: a plain subscribe works.
    ObjectNode fresh = c.subscribe(ch);
    assertEquals(2, fresh.get("offset").asLong());
    // A matching epoch with the flag recovers normally.
    RawClient d = connected("rej");
    ObjectNode ok = result(recover(d, ch, 1, fresh.get("epoch").asText(), 3));
    assertTrue(ok.path("recovered").asBoolean(), ok::toString);
    assertEquals(1, publications(ok));
  }

  @Test
  void wasRecoveringIsReportedEvenWithoutHistory() {
    RawClient c = connected("nohist");
    ObjectNode r = result(recover(c, "nohistory:" + channel("x"), 3, "abc", 1));
    assertTrue(r.path("was_recovering").asBoolean(), r::toString);
    assertFalse(r.path("recovered").asBoolean(), r::toString);
    assertFalse(r.path("recoverable").asBoolean(), r::toString);
  }

  @Test
  void publicationsRacingWithRecoveryAreSeenExactlyOnceInOrder() throws Exception {
    String ch = channel("race");
    publishN(ch, 3);
    RawClient first = connected("racer");
    ObjectNode pos = first.subscribe(ch);
    first.close();
    long last = pos.get("offset").asLong();
    String epoch = pos.get("epoch").asText();

    for (int round = 0; round < 5; round++) {
      // Some publications before the reconnect, then many more fired while the recovery is in flight.
      publishN(ch, 3);
      RawClient c = connected("racer");
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        inFlight.add(api.publishAsync(ch, "{\"round\":" + round + ",\"i\":" + i + "}"));
      }
      int id = c.nextId();
      c.send("{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + ch + "\",\"recover\":true,\"offset\":" + last
          + ",\"epoch\":\"" + epoch + "\",\"flag\":1}}");
      for (int i = 0; i < 60; i++) {
        inFlight.add(api.publishAsync(ch, "{\"round\":" + round + ",\"late\":" + i + "}"));
      }
      long top = 0;
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        HttpResponse<String> resp = f.get(10, TimeUnit.SECONDS);
        assertEquals(200, resp.statusCode(), resp::body);
        top = Math.max(top, RawClient.json(resp.body()).get("result").get("offset").asLong());
      }

      // The subscribe reply comes first: no live push for the channel may precede it.
      ObjectNode reply = c.next();
      assertEquals(id, reply.path("id").asInt(), () -> "first message after subscribe: " + reply);
      ObjectNode r = result(reply);
      assertTrue(r.path("recovered").asBoolean(), r::toString);
      assertEquals(last, r.get("offset").asLong());
      List<Long> seen = new ArrayList<>();
      if (r.has("publications")) {
        r.get("publications").forEach(p -> seen.add(p.get("offset").asLong()));
      }
      while (seen.isEmpty() || seen.get(seen.size() - 1) < top) {
        ObjectNode p = c.next();
        assertTrue(pub(ch).test(p), () -> "unexpected message: " + p);
        seen.add(p.get("push").get("pub").get("offset").asLong());
      }
      for (int i = 0; i < seen.size(); i++) {
        assertEquals(last + 1 + i, seen.get(i), "round " + round + ": offsets seen " + seen);
      }
      assertEquals(top - last, seen.size());
      // Nothing was replayed after the top: the next publication is the very next message.
      long marker = api.publish(ch, "{\"marker\":" + round + "}");
      ObjectNode m = c.next();
      assertEquals(marker, m.get("push").get("pub").get("offset").asLong(), m::toString);
      c.close();
      last = marker;
    }
  }

  @Test
  void recoveryOverTheMaxPublicationLimitIsNotRecovered() {
    TestNode limited = startNode("{\"client\":{\"recovery_max_publication_limit\":5}}");
    RawClient.Api lapi = new RawClient.Api(limited.port());
    String ch = channel("limit");
    RawClient c = connected(limited, "lim");
    ObjectNode pos = c.subscribe(ch);
    String epoch = pos.get("epoch").asText();
    c.close();

    for (int i = 0; i < 5; i++) {
      lapi.publish(ch, "{\"i\":" + i + "}");
    }
    RawClient atLimit = connected(limited, "lim");
    ObjectNode ok = result(recover(atLimit, ch, 0, epoch, 1));
    assertTrue(ok.path("recovered").asBoolean(), "exactly the limit is recoverable: " + ok);
    assertEquals(5, publications(ok));

    for (int i = 0; i < 6; i++) {
      lapi.publish(ch, "{\"j\":" + i + "}");
    }
    RawClient over = connected(limited, "lim");
    ObjectNode r = result(recover(over, ch, 5, epoch, 1));
    assertFalse(r.path("recovered").asBoolean(), r::toString);
    assertEquals(0, publications(r), r::toString);
    assertEquals(11, r.get("offset").asLong());
  }
}
