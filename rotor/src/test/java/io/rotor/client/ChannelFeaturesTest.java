package io.rotor.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.delta.Fossil;
import io.rotor.protocol.JsonCodec;
import io.rotor.protocol.Wire;
import io.rotor.protocol.pb.Command;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.Reply;
import io.rotor.protocol.pb.SubscribeRequest;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Centrifugo v6 channel features on one connection, in-process: fossil delta compression (frames
 * prepared once per fan-out, the first payload full, patches against the previous publication),
 * tags filters on live and recovered publications, and cache recovery.
 */
@Timeout(30)
class ChannelFeaturesTest {

  private static final String CONFIG = """
      {"client": {"allow_anonymous_connect_without_token": true, "ping_interval": "0s"},
       "channel": {"without_namespace": {"allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true},
                   "namespaces": [
                     {"name": "dd", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
                      "allowed_delta_types": ["fossil"], "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true},
                     {"name": "dpub", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
                      "allowed_delta_types": ["fossil"], "delta_publish": true, "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true},
                     {"name": "tf", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
                      "allow_tags_filter": true, "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true},
                     {"name": "cache", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
                      "force_recovery_mode": "cache", "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true},
                     {"name": "auto", "history_size": 100, "history_ttl": "300s", "force_recovery": true,
                      "force_recovery_mode": "cache", "auto_cache_recover": true, "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true}
                   ]}}
      """;

  private static final Vertx VERTX = Vertx.vertx();
  private final InProcessNode node = new InProcessNode(VERTX, CONFIG);

  @AfterEach
  void close() throws Exception {
    node.close();
  }

  @AfterAll
  static void stop() throws Exception {
    VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private Client connect(Wire wire) throws Exception {
    Client c = node.client(wire);
    send(c, Command.newBuilder().setId(1).setConnect(ConnectRequest.getDefaultInstance()).build());
    assertTrue(c.connected(), "connected");
    return c;
  }

  /** Sends one command in the client's encoding and returns the reply to it. */
  private Reply send(Client c, Command cmd) throws Exception {
    byte[] frame;
    if (c.wire() == Wire.PROTOBUF) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      cmd.writeDelimitedTo(out);
      frame = out.toByteArray();
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (com.fasterxml.jackson.core.JsonGenerator g = JsonCodec.MAPPER.getFactory().createGenerator(out)) {
        io.rotor.protocol.JsonMessages.write(g, cmd);
      }
      frame = out.toByteArray();
    }
    byte[] f = frame;
    int before = InProcessNode.transport(c).messages.size();
    node.on(() -> {
      c.onFrame(f);
      return null;
    });
    node.settle();
    List<byte[]> m = InProcessNode.transport(c).messages;
    for (int i = before; i < m.size(); i++) {
      Reply r = reply(c, m.get(i));
      if (r.getId() == cmd.getId()) {
        return r;
      }
    }
    return null;
  }

  private static Reply reply(Client c, byte[] message) throws Exception {
    if (c.wire() == Wire.PROTOBUF) {
      return Reply.parseFrom(message);
    }
    Reply.Builder b = Reply.newBuilder();
    // Payloads (bytes fields) come back as their compact JSON text, as the node wrote them.
    io.rotor.protocol.JsonMessages.read(JsonCodec.MAPPER.readTree(message), b);
    return b.build();
  }

  private Reply subscribe(Client c, SubscribeRequest.Builder req) throws Exception {
    return send(c, Command.newBuilder().setId(2).setSubscribe(req).build());
  }

  private void publish(String channel, String data, Map<String, String> tags, boolean delta) throws Exception {
    node.node.publish(node.node.resolver().resolve(channel), new Publication(0, null, utf8(data), null, tags, 0, delta))
        .toCompletionStage().toCompletableFuture().get();
    node.settle();
  }

  private static List<Reply> pubs(Client c) throws Exception {
    List<Reply> out = new ArrayList<>();
    for (byte[] m : InProcessNode.transport(c).messages) {
      Reply r = reply(c, m);
      if (r.hasPush() && r.getPush().hasPub()) {
        out.add(r);
      }
    }
    return out;
  }

  private static String doc(int version) {
    StringBuilder b = new StringBuilder("{\"version\":").append(version).append(",\"items\":[");
    for (int i = 0; i < 40; i++) {
      b.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item number ").append(i).append("\"}");
    }
    return b.append("]}").toString();
  }

  /** What a centrifuge-js client does with the publications of a delta subscription (its applyDeltaIfNeeded). */
  private static List<String> decode(Wire wire, List<io.rotor.protocol.pb.Publication> pubs) throws Exception {
    List<String> out = new ArrayList<>();
    byte[] base = null;
    for (io.rotor.protocol.pb.Publication p : pubs) {
      byte[] payload = p.getData().toByteArray();
      if (wire != Wire.PROTOBUF) {
        payload = utf8(JsonCodec.MAPPER.readTree(payload).textValue()); // always a JSON string
      }
      base = p.getDelta() ? Fossil.apply(base, payload) : payload;
      out.add(text(base));
    }
    return out;
  }

  @Test
  void deltaSubscribersGetTheFirstPayloadFullThenPatchesEncodedOncePerFanOut() throws Exception {
    for (Wire wire : List.of(Wire.JSON, Wire.PROTOBUF)) {
      String ch = "dd:doc-" + wire.protocol();
      Client a = connect(wire);
      Client b = connect(wire);
      Client plain = connect(wire);
      assertTrue(subscribe(a, SubscribeRequest.newBuilder().setChannel(ch).setDelta("fossil")).getSubscribe().getDelta());
      assertTrue(subscribe(b, SubscribeRequest.newBuilder().setChannel(ch).setDelta("fossil")).getSubscribe().getDelta());
      assertFalse(subscribe(plain, SubscribeRequest.newBuilder().setChannel(ch)).getSubscribe().getDelta());
      for (int v = 1; v <= 4; v++) {
        publish(ch, doc(v), null, true);
      }
      List<Reply> got = pubs(a);
      assertEquals(4, got.size());
      assertFalse(got.get(0).getPush().getPub().getDelta(), "the first publication after subscribe is full");
      for (int i = 1; i < 4; i++) {
        assertTrue(got.get(i).getPush().getPub().getDelta(), "later ones are patches");
        assertTrue(got.get(i).getPush().getPub().getData().size() < doc(1).length() / 4, "a patch is small");
      }
      List<io.rotor.protocol.pb.Publication> ps = got.stream().map(r -> r.getPush().getPub()).toList();
      assertEquals(List.of(doc(1), doc(2), doc(3), doc(4)), decode(wire, ps));
      // Every subscriber of the same wire and payload form shares the frame of the fan-out.
      List<byte[]> ma = InProcessNode.transport(a).messages;
      List<byte[]> mb = InProcessNode.transport(b).messages;
      assertSame(ma.get(ma.size() - 1), mb.get(mb.size() - 1), "one delta frame for the fan-out");
      List<Reply> full = pubs(plain);
      assertFalse(full.get(3).getPush().getPub().getDelta());
      if (wire == Wire.JSON) {
        assertEquals(doc(4), full.get(3).getPush().getPub().getData().toStringUtf8(), "non-delta subscribers get raw JSON");
      }
    }
  }

  @Test
  void withoutDeltaOnPublishOrDeltaPublishThePayloadsStayFull() throws Exception {
    Client a = connect(Wire.JSON);
    subscribe(a, SubscribeRequest.newBuilder().setChannel("dd:x").setDelta("fossil"));
    publish("dd:x", doc(1), null, false);
    publish("dd:x", doc(2), null, false);
    assertTrue(pubs(a).stream().noneMatch(r -> r.getPush().getPub().getDelta()), "publisher did not ask for delta");

    Client b = connect(Wire.JSON);
    subscribe(b, SubscribeRequest.newBuilder().setChannel("dpub:x").setDelta("fossil"));
    publish("dpub:x", doc(1), null, false);
    publish("dpub:x", doc(2), null, false);
    assertTrue(pubs(b).get(1).getPush().getPub().getDelta(), "delta_publish marks every publication");
  }

  @Test
  void deltaIsNotNegotiatedWhereNotAllowedAndAnUnknownTypeCloses3501() throws Exception {
    Client c = connect(Wire.JSON);
    assertFalse(subscribe(c, SubscribeRequest.newBuilder().setChannel("tf:x").setDelta("fossil")).getSubscribe().getDelta());
    Client bad = connect(Wire.JSON);
    subscribe(bad, SubscribeRequest.newBuilder().setChannel("dd:x").setDelta("zstd"));
    assertEquals(Disconnect.BAD_REQUEST, InProcessNode.transport(bad).closed);
  }

  @Test
  void recoveryOfADeltaSubscriptionSendsTheFirstFullThenPatchesAndLivePatchesFollow() throws Exception {
    for (int v = 1; v <= 3; v++) {
      publish("dd:r", doc(v), null, true);
    }
    Client c = connect(Wire.JSON);
    Reply r = subscribe(c, SubscribeRequest.newBuilder().setChannel("dd:r").setDelta("fossil").setRecover(true)
        .setOffset(0).setEpoch(""));
    assertTrue(r.getSubscribe().getRecovered(), r.toString());
    List<io.rotor.protocol.pb.Publication> all = new ArrayList<>(r.getSubscribe().getPublicationsList());
    assertEquals(3, all.size());
    assertFalse(all.get(0).getDelta());
    assertTrue(all.get(2).getDelta());
    publish("dd:r", doc(4), null, true);
    Reply live = pubs(c).get(0);
    assertTrue(live.getPush().getPub().getDelta(), "the recovered ones gave the client its base");
    all.add(live.getPush().getPub());
    assertEquals(List.of(doc(1), doc(2), doc(3), doc(4)), decode(Wire.JSON, all));
  }

  @Test
  void tagsFilterAppliesToLiveAndRecoveredPublications() throws Exception {
    publish("tf:x", "{\"n\":1}", Map.of("k", "yes"), false);
    publish("tf:x", "{\"n\":2}", Map.of("k", "no"), false);
    Client c = connect(Wire.JSON);
    SubscribeRequest.Builder req = SubscribeRequest.newBuilder().setChannel("tf:x").setRecover(true)
        .setTf(io.rotor.protocol.pb.FilterNode.newBuilder().setKey("k").setCmp("eq").setVal("yes"));
    Reply r = subscribe(c, req);
    assertTrue(r.getSubscribe().getRecovered());
    assertEquals(1, r.getSubscribe().getPublicationsCount(), "the recovered publication tagged k=no is filtered");
    assertEquals(1, r.getSubscribe().getPublications(0).getOffset());
    publish("tf:x", "{\"n\":3}", Map.of("k", "no"), false);
    publish("tf:x", "{\"n\":4}", Map.of("k", "yes"), false);
    publish("tf:x", "{\"n\":5}", null, false);
    List<Reply> got = pubs(c);
    assertEquals(1, got.size(), "only k=yes is delivered");
    assertEquals("{\"n\":4}", got.get(0).getPush().getPub().getData().toStringUtf8());
    assertNull(InProcessNode.transport(c).closed, "filtered offsets are no gap");
  }

  @Test
  void aTagsFilterIsRefusedWhereNotAllowedOrMalformed() throws Exception {
    Client c = connect(Wire.JSON);
    Reply r = subscribe(c, SubscribeRequest.newBuilder().setChannel("dd:x")
        .setTf(io.rotor.protocol.pb.FilterNode.newBuilder().setKey("k").setCmp("eq").setVal("v")));
    assertEquals(107, r.getError().getCode(), "allow_tags_filter is off");
    Reply bad = subscribe(c, SubscribeRequest.newBuilder().setChannel("tf:x")
        .setTf(io.rotor.protocol.pb.FilterNode.newBuilder().setKey("k").setCmp("like").setVal("v")));
    assertEquals(107, bad.getError().getCode(), "unknown comparison");
    assertFalse(node.on(() -> c.subscribed("tf:x")));
  }

  @Test
  void cacheModeRecoversOnlyTheLatestPublication() throws Exception {
    for (int n = 1; n <= 3; n++) {
      publish("cache:x", "{\"n\":" + n + "}", null, false);
    }
    Client fresh = connect(Wire.JSON);
    Reply r = subscribe(fresh, SubscribeRequest.newBuilder().setChannel("cache:x").setRecover(true));
    assertTrue(r.getSubscribe().getRecovered());
    assertEquals(1, r.getSubscribe().getPublicationsCount(), "an empty since gets the latest value");
    assertEquals(3, r.getSubscribe().getPublications(0).getOffset());

    Client behind = connect(Wire.JSON);
    Reply rb = subscribe(behind, SubscribeRequest.newBuilder().setChannel("cache:x").setRecover(true).setOffset(1)
        .setEpoch(r.getSubscribe().getEpoch()));
    assertEquals(1, rb.getSubscribe().getPublicationsCount(), "a recovering client gets only the latest");
    assertEquals(1, rb.getSubscribe().getOffset(), "the reply carries the client's offset");

    Client same = connect(Wire.JSON);
    Reply rs = subscribe(same, SubscribeRequest.newBuilder().setChannel("cache:x").setRecover(true).setOffset(3)
        .setEpoch(r.getSubscribe().getEpoch()));
    assertTrue(rs.getSubscribe().getRecovered());
    assertEquals(0, rs.getSubscribe().getPublicationsCount(), "nothing when the client is at the top");

    Client plain = connect(Wire.JSON);
    Reply rp = subscribe(plain, SubscribeRequest.newBuilder().setChannel("cache:x"));
    assertEquals(0, rp.getSubscribe().getPublicationsCount(), "no recovery asked, none given");
    assertFalse(rp.getSubscribe().getWasRecovering());
  }

  @Test
  void autoCacheRecoverDeliversTheLatestWithoutTheClientAsking() throws Exception {
    publish("auto:x", "{\"n\":1}", null, false);
    publish("auto:x", "{\"n\":2}", null, false);
    Client c = connect(Wire.PROTOBUF);
    Reply r = subscribe(c, SubscribeRequest.newBuilder().setChannel("auto:x"));
    assertTrue(r.getSubscribe().getWasRecovering());
    assertTrue(r.getSubscribe().getRecovered());
    assertEquals(1, r.getSubscribe().getPublicationsCount());
    assertArrayEquals(utf8("{\"n\":2}"), r.getSubscribe().getPublications(0).getData().toByteArray());
  }
}
