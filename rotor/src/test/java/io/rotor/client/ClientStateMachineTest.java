package io.rotor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.channel.SubscribeOptions;
import io.rotor.core.ClientInfo;
import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.protocol.Command;
import io.rotor.protocol.JsonCodec;
import io.rotor.protocol.Wire;
import io.rotor.protocol.pb.PublishRequest;
import io.rotor.protocol.pb.Reply;
import io.rotor.protocol.pb.SubscribeRequest;
import io.rotor.testing.MemoryTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One connection's state machine, its outbox and its subscriptions, driven in-process through
 * memory transports: no server, no socket, milliseconds per case.
 */
@Timeout(30)
class ClientStateMachineTest {

  private static final Vertx VERTX = Vertx.vertx();
  private final InProcessNode node = new InProcessNode(VERTX);

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

  private void json(Client c, String frame) throws Exception {
    node.on(() -> {
      c.onFrame(utf8(frame));
      return null;
    });
    node.settle();
  }

  private static JsonNode parse(byte[] message) throws Exception {
    return JsonCodec.MAPPER.readTree(message);
  }

  private static JsonNode last(Client c) throws Exception {
    List<byte[]> m = InProcessNode.transport(c).messages;
    return parse(m.get(m.size() - 1));
  }

  private Client connected(Wire wire, String channel) throws Exception {
    Client c = node.client(wire);
    if (wire == Wire.JSON) {
      json(c, "{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
    } else if (wire == Wire.PROTOBUF) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      io.rotor.protocol.pb.Command.newBuilder().setId(1)
          .setConnect(io.rotor.protocol.pb.ConnectRequest.getDefaultInstance()).build().writeDelimitedTo(out);
      io.rotor.protocol.pb.Command.newBuilder().setId(2)
          .setSubscribe(SubscribeRequest.newBuilder().setChannel(channel)).build().writeDelimitedTo(out);
      node.on(() -> {
        c.onFrame(out.toByteArray());
        return null;
      });
      node.settle();
    } else {
      node.on(() -> {
        c.onCommands(List.of(Command.uniConnect("{}")));
        return null;
      });
      node.settle();
      node.on(() -> c.serverSubscribe(node.node.resolver().resolve(channel),
          new SubscribeOptions(false, false, false, null, true, false, null, null), 0)).toCompletionStage()
          .toCompletableFuture().get();
      node.settle();
    }
    assertTrue(c.connected(), "connected");
    assertTrue(node.on(() -> c.subscribed(channel)), "subscribed to " + channel);
    return c;
  }

  private void publish(String channel, byte[] data) throws Exception {
    node.node.publish(node.node.resolver().resolve(channel), new Publication(0, null, data, null, null, 0))
        .toCompletionStage().toCompletableFuture().get();
    node.settle();
  }

  @Test
  void connectThenSubscribeInOneFrameAreAnsweredInOrder() throws Exception {
    Client c = connected(Wire.JSON, "room");
    List<byte[]> m = InProcessNode.transport(c).messages;
    assertEquals(2, m.size());
    assertEquals(1, parse(m.get(0)).get("id").asInt());
    assertTrue(parse(m.get(0)).get("connect").has("client"));
    JsonNode sub = parse(m.get(1));
    assertEquals(2, sub.get("id").asInt());
    assertTrue(sub.get("subscribe").get("recoverable").asBoolean(), "force_recovery");
    assertEquals(0, sub.get("subscribe").get("offset").asLong());
  }

  @Test
  void aCommandBeforeConnectAndAnUnaskedPongClose3501() throws Exception {
    Client early = node.client(Wire.JSON);
    json(early, "{\"id\":1,\"subscribe\":{\"channel\":\"room\"}}");
    assertEquals(Disconnect.BAD_REQUEST, InProcessNode.transport(early).closed);

    Client pong = connected(Wire.JSON, "room");
    json(pong, "{}");
    assertEquals(Disconnect.BAD_REQUEST, InProcessNode.transport(pong).closed, "no ping was sent");
    assertTrue(node.on(() -> !pong.subscribed("room")), "a closed client leaves its channels");
  }

  @Test
  void aFanOutIsEncodedOncePerKindOfSubscriber() throws Exception {
    List<Client> json = List.of(connected(Wire.JSON, "live:a"), connected(Wire.JSON, "live:a"), connected(Wire.JSON, "live:a"));
    List<Client> pb = List.of(connected(Wire.PROTOBUF, "live:a"), connected(Wire.PROTOBUF, "live:a"));
    List<Client> uni = List.of(connected(Wire.UNI_JSON, "live:a"), connected(Wire.UNI_JSON, "live:a"));
    publish("live:a", utf8("{\"n\":1}"));

    Set<byte[]> encodings = Collections.newSetFromMap(new IdentityHashMap<>());
    for (List<Client> kind : List.of(json, pb, uni)) {
      byte[] first = lastMessage(kind.get(0));
      for (Client c : kind) {
        assertSame(first, lastMessage(c), "subscribers of one kind share one encoding");
        encodings.add(lastMessage(c));
      }
    }
    assertEquals(3, encodings.size(), "one encoding per kind for 7 subscribers");
    assertEquals(1, parse(lastMessage(json.get(0))).get("push").get("pub").get("data").get("n").asInt());
    assertEquals(1, parse(lastMessage(uni.get(0))).get("pub").get("data").get("n").asInt(), "bare push");
    Reply r = Reply.parseFrom(lastMessage(pb.get(0)));
    assertEquals("{\"n\":1}", r.getPush().getPub().getData().toStringUtf8());
  }

  private static byte[] lastMessage(Client c) {
    List<byte[]> m = InProcessNode.transport(c).messages;
    return m.get(m.size() - 1);
  }

  @Test
  void bytesThatAreNotJsonReachProtobufSubscribersAndClose3506ForJsonOnes() throws Exception {
    Client json = connected(Wire.JSON, "live:bin");
    Client pb = connected(Wire.PROTOBUF, "live:bin");
    byte[] binary = {0, (byte) 255, 1, 2, (byte) 128, 10, 13};
    publish("live:bin", binary);
    assertEquals(Disconnect.INAPPROPRIATE_PROTOCOL, InProcessNode.transport(json).closed);
    Reply r = Reply.parseFrom(lastMessage(pb));
    assertEquals(com.google.protobuf.ByteString.copyFrom(binary), r.getPush().getPub().getData());
    assertNull(InProcessNode.transport(pb).closed);
  }

  @Test
  void aProtobufClientPublishesArbitraryBytes() throws Exception {
    Client pb = connected(Wire.PROTOBUF, "room");
    byte[] binary = {0, (byte) 255, 1, 2, (byte) 128, 10, 13};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    io.rotor.protocol.pb.Command.newBuilder().setId(3).setPublish(PublishRequest.newBuilder().setChannel("room")
        .setData(com.google.protobuf.ByteString.copyFrom(binary))).build().writeDelimitedTo(out);
    node.on(() -> {
      pb.onFrame(out.toByteArray());
      return null;
    });
    node.settle();
    // The reply and the publication's push race (as in Centrifugo): find each by what it is.
    List<Reply> replies = new java.util.ArrayList<>();
    for (byte[] bytes : InProcessNode.transport(pb).messages) {
      replies.add(Reply.parseFrom(bytes));
    }
    Reply reply = replies.stream().filter(r -> r.getId() == 3).findFirst().orElseThrow();
    assertTrue(reply.hasPublish(), "published: " + reply);
    Reply push = replies.stream().filter(Reply::hasPush).findFirst().orElseThrow();
    assertEquals(com.google.protobuf.ByteString.copyFrom(binary), push.getPush().getPub().getData());
    assertEquals(1, push.getPush().getPub().getOffset());
  }

  @Test
  void recoveryGivesExactlyTheMissedPublicationsAndLiveOnesFollow() throws Exception {
    for (int i = 1; i <= 3; i++) {
      publish("hist", utf8("{\"n\":" + i + "}"));
    }
    Client c = node.client(Wire.JSON);
    json(c, "{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"hist\",\"recover\":true,\"offset\":1}}");
    JsonNode sub = parse(InProcessNode.transport(c).messages.get(1)).get("subscribe");
    assertTrue(sub.get("recovered").asBoolean(), sub::toString);
    assertEquals(2, sub.get("publications").size());
    assertEquals(2, sub.get("publications").get(0).get("offset").asLong());
    assertEquals(3, sub.get("publications").get(1).get("offset").asLong());
    publish("hist", utf8("{\"n\":4}"));
    assertEquals(4, last(c).get("push").get("pub").get("offset").asLong());
  }

  @Test
  void mergeDropsDuplicatesAndRefusesAGap() {
    Subscription sub = new Subscription(node.node.resolver().resolve("hist"),
        new SubscribeOptions(true, true, false, new StreamPosition(1, "e"), false, false, null, null),
        new ClientInfo("", "c", null, null));
    sub.offset = 1;
    sub.buffer(pub(3));
    sub.buffer(pub(4));
    List<Publication> merged = Subscriptions.merge(sub, List.of(pub(2), pub(3)));
    assertEquals(List.of(2L, 3L, 4L), merged.stream().map(Publication::offset).toList());
    assertEquals(4, sub.offset);

    Subscription gap = new Subscription(sub.channel, sub.options, sub.info);
    gap.offset = 1;
    gap.buffer(pub(5));
    Disconnect.Exception e = assertThrows(Disconnect.Exception.class, () -> Subscriptions.merge(gap, List.of(pub(2))));
    assertEquals(Disconnect.INSUFFICIENT_STATE, e.disconnect());
  }

  private static Publication pub(long offset) {
    return new Publication(offset, "e", utf8("{}"), null, null, 0);
  }

  @Test
  void everythingOfOneTurnLeavesInOneWrite() throws Exception {
    Client c = connected(Wire.JSON, "live:burst");
    MemoryTransport t = InProcessNode.transport(c);
    int writes = t.writes;
    node.on(() -> {
      for (int i = 0; i < 5; i++) {
        node.node.onPublication("live:burst", new Publication(0, null, utf8("{\"i\":" + i + "}"), null, null, 0));
      }
      return null;
    });
    node.settle();
    assertEquals(writes + 1, t.writes, "five publications of one turn, one write");
  }

  @Test
  void aPeerThatStopsReadingIsDisconnectedAsSlow() throws Exception {
    Client c = connected(Wire.JSON, "live:slow");
    Client other = connected(Wire.JSON, "live:slow");
    InProcessNode.transport(c).stalled = true;
    byte[] big = utf8("{\"pad\":\"" + "x".repeat(1000) + "\"}");
    int before = InProcessNode.transport(other).messages.size();
    int published = 0;
    while (InProcessNode.transport(c).closed == null && published < 10) {
      publish("live:slow", big);
      published++;
    }
    assertEquals(Disconnect.SLOW, InProcessNode.transport(c).closed, "queue_max_size 4096 exceeded");
    assertTrue(published >= 4, "not before the queue held 4096 bytes: " + published);
    assertNull(InProcessNode.transport(other).closed, "the others are not harmed");
    assertEquals(before + published, InProcessNode.transport(other).messages.size(), "and get every publication");
  }
}
