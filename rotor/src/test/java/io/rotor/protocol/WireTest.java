package io.rotor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.rotor.core.ClientError;
import io.rotor.core.ClientInfo;
import io.rotor.core.Disconnect;
import io.rotor.core.Publication;
import io.rotor.core.Unsubscribe;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.ConnectResult;
import io.rotor.protocol.pb.HistoryResult;
import io.rotor.protocol.pb.PresenceResult;
import io.rotor.protocol.pb.PublishRequest;
import io.rotor.protocol.pb.Reply;
import io.rotor.protocol.pb.SubscribeRequest;
import io.rotor.protocol.pb.SubscribeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three wires without sockets: typed commands in, typed replies and pushes out, framing. */
class WireTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(byte[] bytes) throws IOException {
    return JsonCodec.MAPPER.readTree(bytes);
  }

  private static byte[] delimited(io.rotor.protocol.pb.Command... commands) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (var c : commands) {
      c.writeDelimitedTo(out);
    }
    return out.toByteArray();
  }

  @Test
  void protobufCommandsAreTypedAsTheyCome() throws IOException {
    byte[] binary = {1, 2, (byte) 0xff};
    List<Command> cmds = Wire.PROTOBUF.decode(delimited(
        io.rotor.protocol.pb.Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder()
            .setToken("t").setData(ByteString.copyFromUtf8("{\"a\":[1,2]}"))
            .putHeaders("X-Trace", "1")
            .putSubs("news", SubscribeRequest.newBuilder().setRecover(true).setOffset(7).setEpoch("e").build())).build(),
        io.rotor.protocol.pb.Command.newBuilder().setId(0xFFFFFFFF).setPublish(PublishRequest.newBuilder()
            .setChannel("c").setData(ByteString.copyFrom(binary))).build(),
        io.rotor.protocol.pb.Command.getDefaultInstance()));
    assertEquals(3, cmds.size());

    Command connect = cmds.get(0);
    assertEquals(CommandType.CONNECT, connect.type());
    ConnectRequest c = connect.pb().getConnect();
    assertEquals("t", c.getToken());
    assertEquals("{\"a\":[1,2]}", c.getData().toStringUtf8());
    assertEquals("1", c.getHeadersOrThrow("X-Trace"));
    assertEquals(7, c.getSubsOrThrow("news").getOffset());

    Command publish = cmds.get(1);
    assertEquals(0xFFFFFFFFL, publish.id(), "uint32 ids are unsigned");
    assertArrayEquals(binary, publish.pb().getPublish().getData().toByteArray(), "bytes stay bytes");

    assertTrue(cmds.get(2).isPong(), "an empty Command is the pong");
  }

  @Test
  void jsonCommandsBecomeTheSameTypedCommands() {
    List<Command> cmds = Wire.JSON.decode(utf8(
        "{\"id\":1,\"connect\":{\"token\":\"t\",\"data\":{\"a\": [1, 2]},\"subs\":{\"news\":{\"recover\":true,\"offset\":7}},"
            + "\"unknown_new_field\":5}}\n{\"id\":2,\"history\":{\"channel\":\"c\",\"limit\":-1,\"since\":{\"offset\":0}}}\n{}"));
    ConnectRequest c = cmds.get(0).pb().getConnect();
    assertEquals("t", c.getToken());
    assertEquals("{\"a\":[1,2]}", c.getData().toStringUtf8(), "a JSON payload is kept as its compact bytes");
    assertTrue(c.getSubsOrThrow("news").getRecover());
    var history = cmds.get(1).pb().getHistory();
    assertEquals(-1, history.getLimit());
    assertTrue(history.hasSince(), "a present since, even all zero, is present");
    assertTrue(cmds.get(2).isPong());
  }

  @Test
  void jsonPayloadNumbersKeepTheirDigits() {
    // Centrifugo passes a publication's JSON through as bytes: numbers a double cannot hold must
    // reach subscribers with every digit (prices, 64-bit ids, trailing zeros).
    String data = "{\"price\":0.10000000000000000555,\"id\":123456789012345678901234567890,"
        + "\"qty\":1.10,\"big\":1.7976931348623157E+309,\"n\":[-0.5,3]}";
    List<Command> cmds = Wire.JSON.decode(utf8("{\"id\":1,\"publish\":{\"channel\":\"c\",\"data\":" + data + "}}"));
    assertEquals(data, cmds.get(0).pb().getPublish().getData().toStringUtf8());
  }

  @Test
  void malformedFramesAreBadRequests() {
    for (byte[] bad : new byte[][] {{}, {(byte) 0x80}, {0x03, 0x08}, {0x02, (byte) 0xff, (byte) 0xff}}) {
      Disconnect.Exception e = assertThrows(Disconnect.Exception.class, () -> Wire.PROTOBUF.decode(bad));
      assertEquals(3501, e.disconnect().code());
    }
    for (String bad : new String[] {"", "\n", "{\"id\":1,\"subscribe\":{\"channel\":5}}",
        "{\"id\":1,\"subscribe\":{\"offset\":-1}}", "{\"id\":1,\"subscribe\":[]}", "{\"id\":-1}", "[]",
        "{\"id\":1}\n\n{\"id\":2}", "{\"id\":1,\"connect\":{\"subs\":[]}}"}) {
      Disconnect.Exception e = assertThrows(Disconnect.Exception.class, () -> Wire.JSON.decode(utf8(bad)), bad);
      assertEquals(3501, e.disconnect().code());
    }
  }

  @Test
  void jsonRepliesFollowCentrifugosConventions() throws IOException {
    ClientInfo info = new ClientInfo("", "c1", utf8("{\"n\":\n1}"), null);
    Publication pub = new Publication(5, "ep", utf8("{\"x\":true}"), info, Map.of("k", "v"), 0);
    HistoryResult empty = HistoryResult.newBuilder().build();
    JsonNode h = json(Wire.JSON.reply(Replies.result(9, CommandType.HISTORY, empty)));
    assertEquals(9, h.get("id").asLong());
    assertTrue(h.get("history").get("publications").isArray(), "publications, epoch and offset are always written");
    assertEquals("", h.get("history").get("epoch").asText());
    assertEquals(0, h.get("history").get("offset").asLong());

    byte[] withPub = Wire.JSON.reply(Replies.result(3, CommandType.HISTORY,
        HistoryResult.newBuilder().addPublications(Protos.publication(pub)).setEpoch("ep").setOffset(5).build()));
    JsonNode p = json(withPub).get("history").get("publications").get(0);
    assertEquals(true, p.get("data").get("x").asBoolean(), "data is embedded as raw JSON");
    assertEquals("", p.get("info").get("user").asText(), "user and client are always written");
    assertEquals(1, p.get("info").get("conn_info").get("n").asInt());
    assertFalse(new String(withPub, StandardCharsets.UTF_8).contains("\n"), "raw payloads lose their newlines");
    assertEquals("v", p.get("tags").get("k").asText());

    JsonNode sub = json(Wire.JSON.reply(Replies.result(2, CommandType.SUBSCRIBE,
        SubscribeResult.newBuilder().setPositioned(true).setEpoch("e").build()))).get("subscribe");
    assertEquals(0, sub.get("offset").asLong(), "a positioned subscription tells its offset, 0 included");
    assertNull(sub.get("recoverable"), "false is left out");
    JsonNode publish = json(Wire.JSON.reply(Replies.result(4, CommandType.PUBLISH,
        io.rotor.protocol.pb.PublishResult.getDefaultInstance())));
    assertTrue(publish.get("publish").isObject(), "an empty result is still present");
    JsonNode presence = json(Wire.JSON.reply(Replies.result(5, CommandType.PRESENCE, PresenceResult.getDefaultInstance())));
    assertTrue(presence.get("presence").get("presence").isObject());

    JsonNode error = json(Wire.JSON.reply(Replies.error(6, ClientError.TOO_MANY_REQUESTS)));
    assertEquals(111, error.get("error").get("code").asInt());
    assertTrue(error.get("error").get("temporary").asBoolean());
    assertNull(json(Wire.JSON.reply(Replies.error(7, ClientError.BAD_REQUEST))).get("error").get("temporary"));
  }

  @Test
  void bytesThatAreNotJsonCannotGoOnAJsonWire() throws IOException {
    Publication binary = new Publication(1, "e", new byte[] {0, (byte) 255, 1}, null, null, 0);
    var push = Protos.publicationPush("ch", binary);
    for (Wire w : List.of(Wire.JSON, Wire.UNI_JSON)) {
      Disconnect.Exception e = assertThrows(Disconnect.Exception.class, () -> w.push(push));
      assertEquals(Disconnect.INAPPROPRIATE_PROTOCOL, e.disconnect());
    }
    Reply pb = Reply.parseFrom(Wire.PROTOBUF.push(push));
    assertArrayEquals(new byte[] {0, (byte) 255, 1}, pb.getPush().getPub().getData().toByteArray());
  }

  @Test
  void pushesOnEachWire() throws IOException {
    var unsubscribe = Protos.unsubscribePush("ch", Unsubscribe.EXPIRED);
    JsonNode wrapped = json(Wire.JSON.push(unsubscribe));
    assertEquals("ch", wrapped.get("push").get("channel").asText());
    assertEquals(2501, wrapped.get("push").get("unsubscribe").get("code").asInt());
    JsonNode bare = json(Wire.UNI_JSON.push(unsubscribe));
    assertEquals(2501, bare.get("unsubscribe").get("code").asInt(), "unidirectional pushes are bare");
    Reply pb = Reply.parseFrom(Wire.PROTOBUF.push(Protos.disconnectPush(Disconnect.BAD_REQUEST)));
    assertEquals("", pb.getPush().getChannel());
    assertEquals(3501, pb.getPush().getDisconnect().getCode());
    JsonNode join = json(Wire.JSON.push(Protos.joinPush("ch", new ClientInfo("u", "c", null, utf8("{\"seat\":7}")))));
    assertEquals(7, join.get("push").get("join").get("info").get("chan_info").get("seat").asInt());
  }

  @Test
  void theUnidirectionalWireSendsTheConnectResultAsAPush() throws IOException {
    Reply connect = Replies.result(1, CommandType.CONNECT, ConnectResult.newBuilder().setClient("c").setPing(25).build());
    JsonNode push = json(Wire.UNI_JSON.reply(connect));
    assertEquals("c", push.get("connect").get("client").asText());
    assertNull(push.get("id"));
    assertNull(Wire.UNI_JSON.reply(Replies.error(2, ClientError.BAD_REQUEST)), "no other reply has a form there");
    assertThrows(Disconnect.Exception.class, () -> Wire.UNI_JSON.decode(utf8("{}")), "a uni client sends nothing more");
    assertArrayEquals(utf8("{}"), Wire.UNI_JSON.ping());
  }

  @Test
  void framing() throws IOException {
    byte[] big = new byte[300];
    List<byte[]> messages = new ArrayList<>(List.of(Wire.PROTOBUF.ping(), big, new byte[] {7}));
    byte[] frame = Wire.PROTOBUF.frame(messages, 301);
    CodedInputStream in = CodedInputStream.newInstance(frame);
    assertEquals(0, in.readRawVarint32(), "the ping is a zero-length Reply");
    assertEquals(300, in.readRawVarint32());
    in.skipRawBytes(300);
    assertEquals(1, in.readRawVarint32());
    assertEquals(7, in.readRawByte());
    assertTrue(in.isAtEnd());
    assertArrayEquals(utf8("{}\n{\"a\":1}"), Wire.JSON.frame(List.of(utf8("{}"), utf8("{\"a\":1}")), 9));
  }

  @Test
  void aPreparedPushIsEncodedOncePerKind() throws IOException {
    Publication pub = new Publication(1, "e", utf8("{\"n\":1}"), null, null, 0);
    PreparedPush prepared = new PreparedPush(Protos.publicationPush("ch", pub));
    for (int i = 0; i < 100; i++) {
      for (Wire w : Wire.ALL) {
        prepared.frame(FrameKey.of(w));
      }
    }
    assertEquals(3, prepared.encodings(), "three kinds, three encodings, whatever the number of subscribers");
    assertEquals(1, json(prepared.frame(FrameKey.of(Wire.JSON))).get("push").get("pub").get("data").get("n").asInt());
    assertEquals(1, Reply.parseFrom(prepared.frame(FrameKey.of(Wire.PROTOBUF))).getPush().getPub().getOffset());

    PreparedPush binary = new PreparedPush(Protos.publicationPush("ch", new Publication(2, "e", new byte[] {1, 0}, null, null, 0)));
    assertThrows(Disconnect.Exception.class, () -> binary.frame(FrameKey.of(Wire.JSON)));
    assertThrows(Disconnect.Exception.class, () -> binary.frame(FrameKey.of(Wire.JSON)));
    assertEquals(1, binary.encodings(), "a failed encoding is remembered too");
  }
}
