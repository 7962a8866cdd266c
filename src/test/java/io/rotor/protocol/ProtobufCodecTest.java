package io.rotor.protocol;

import io.rotor.core.Disconnect;

import io.rotor.core.ClientError;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.history.HistoryResult;
import io.rotor.core.StreamPosition;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.PublishRequest;
import io.rotor.protocol.pb.Reply;
import io.rotor.protocol.pb.SubscribeRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Protobuf codec without sockets: commands to trees, trees to replies, framing. */
class ProtobufCodecTest {

  private static final Codec PB = Codec.PROTOBUF;

  private static byte[] frame(io.rotor.protocol.pb.Command... commands) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (var c : commands) {
      c.writeDelimitedTo(out);
    }
    return out.toByteArray();
  }

  @Test
  void commandsBecomeTheTreesTheHandlersRead() throws IOException {
    List<Command> cmds = PB.decodeFrame(frame(
        io.rotor.protocol.pb.Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder()
            .setToken("t").setData(ByteString.copyFromUtf8("{\"a\":[1,2]}"))
            .putHeaders("X-Trace", "1")
            .putSubs("news", SubscribeRequest.newBuilder().setRecover(true).setOffset(7).setEpoch("e").build())).build(),
        io.rotor.protocol.pb.Command.newBuilder().setId(0xFFFFFFFF).setPublish(PublishRequest.newBuilder()
            .setChannel("c").setData(ByteString.copyFrom(new byte[] {1, 2, (byte) 0xff}))).build(),
        io.rotor.protocol.pb.Command.getDefaultInstance()));
    assertEquals(3, cmds.size());

    Command connect = cmds.get(0);
    assertEquals(CommandType.CONNECT, connect.type());
    assertEquals("t", connect.text("token"));
    assertEquals(2, connect.node("data").get("a").size(), "JSON payload bytes become the JSON value");
    assertEquals("1", connect.node("headers").get("X-Trace").asText());
    assertEquals(7, connect.node("subs").get("news").get("offset").asLong());
    assertTrue(connect.node("subs").get("news").get("recover").asBoolean());

    Command publish = cmds.get(1);
    assertEquals(0xFFFFFFFFL, publish.id(), "uint32 ids are unsigned");
    assertTrue(publish.node("data").isBinary(), "non-JSON payload bytes stay binary");
    assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, publish.node("data").binaryValue());

    assertTrue(cmds.get(2).isPong(), "an empty Command is the pong");
  }

  @Test
  void malformedFramesAreBadRequests() {
    for (byte[] bad : new byte[][] {{}, {(byte) 0x80}, {0x03, 0x08}, {0x02, (byte) 0xff, (byte) 0xff}}) {
      Disconnect.Exception e = assertThrows(Disconnect.Exception.class, () -> PB.decodeFrame(bad));
      assertEquals(3501, e.disconnect().code());
    }
  }

  @Test
  void resultTreesBecomeReplies() throws IOException {
    ClientInfo info = new ClientInfo("u", "c1", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), null);
    Publication pub = new Publication(5, "ep", "{\"x\":true}".getBytes(StandardCharsets.UTF_8), info, Map.of("k", "v"), 0);
    ObjectNode history = JsonCodec.historyResult(new HistoryResult(List.of(pub), new StreamPosition(5, "ep")));
    Reply r = Reply.parseFrom(PB.reply(9, "history", history));
    assertEquals(9, r.getId());
    assertEquals("ep", r.getHistory().getEpoch());
    assertEquals(5, r.getHistory().getOffset());
    var p = r.getHistory().getPublications(0);
    assertEquals("{\"x\":true}", p.getData().toStringUtf8());
    assertEquals("{\"n\":1}", p.getInfo().getConnInfo().toStringUtf8());
    assertEquals("v", p.getTagsOrThrow("k"));

    ObjectNode sub = JsonCodec.object().put("recoverable", true).put("offset", 3);
    sub.putRawValue("data", JsonCodec.raw("{\"d\":1}".getBytes(StandardCharsets.UTF_8)));
    sub.put("json_only_extra", "skipped");
    Reply s = Reply.parseFrom(PB.reply(2, "subscribe", sub));
    assertTrue(s.getSubscribe().getRecoverable());
    assertEquals(3, s.getSubscribe().getOffset());
    assertEquals("{\"d\":1}", s.getSubscribe().getData().toStringUtf8(), "raw JSON payloads go out as their bytes");

    assertTrue(Reply.parseFrom(PB.reply(3, "publish", JsonCodec.object())).hasPublish(), "an empty result is still present");

    Reply err = Reply.parseFrom(PB.error(4, ClientError.TOO_MANY_REQUESTS));
    assertEquals(ClientError.TOO_MANY_REQUESTS.code(), err.getError().getCode());
  }

  @Test
  void pushesAndTheSharedPublicationEncoding() throws IOException {
    Publication pub = new Publication(1, "e", "{}".getBytes(StandardCharsets.UTF_8), null, null, 0);
    byte[] first = PB.publicationPush("ch", pub, null);
    assertSame(first, PB.publicationPush("ch", pub, null), "one encoding per publication on a thread");
    assertEquals("ch", Reply.parseFrom(first).getPush().getChannel());
    assertEquals(1, Reply.parseFrom(first).getPush().getPub().getOffset());

    byte[] joinJson = JsonCodec.joinLeavePush("ch", "join", new ClientInfo("u", "c", null, null));
    Reply join = Reply.parseFrom(PB.joinLeavePush(joinJson));
    assertEquals("u", join.getPush().getJoin().getInfo().getUser());

    Reply unsub = Reply.parseFrom(PB.push("ch", "unsubscribe", JsonCodec.object().put("code", 2000).put("reason", "r")));
    assertEquals(2000, unsub.getPush().getUnsubscribe().getCode());
    Reply disconnect = Reply.parseFrom(PB.push("", "disconnect", JsonCodec.object().put("code", 3501).put("reason", "bad")));
    assertEquals("", disconnect.getPush().getChannel());
    assertEquals(3501, disconnect.getPush().getDisconnect().getCode());
  }

  @Test
  void framesAreVarintDelimited() throws IOException {
    byte[] big = new byte[300];
    List<byte[]> messages = new ArrayList<>(List.of(PB.ping(), big, new byte[] {7}));
    byte[] frame = PB.frame(messages, 301);
    CodedInputStream in = CodedInputStream.newInstance(frame);
    assertEquals(0, in.readRawVarint32(), "the ping is a zero-length Reply");
    assertEquals(300, in.readRawVarint32());
    in.skipRawBytes(300);
    assertEquals(1, in.readRawVarint32());
    assertEquals(7, in.readRawByte());
    assertTrue(in.isAtEnd());
    assertArrayEquals(new byte[] {0}, PB.frame(List.of(PB.ping()), 0));
  }
}
