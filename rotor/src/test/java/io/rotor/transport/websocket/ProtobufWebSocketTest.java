package io.rotor.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.rotor.protocol.pb.Command;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.PublishRequest;
import io.rotor.protocol.pb.Reply;
import io.rotor.protocol.pb.SubscribeRequest;
import io.rotor.testing.PbReplies;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Protobuf protocol on {@code /connection/websocket} at the byte level: varint-delimited
 * frames, the one-byte ping, binary payloads, and bad input answered with 3501 or 1009 while a
 * JSON subscriber on the same node goes on receiving.
 */
class ProtobufWebSocketTest {

  private static final long WAIT = 10;
  private static TestNode node;
  private static RawClient.Api api;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void start() {
    node = TestNode.start(RawClient.config("""
        {"client": {"ping_interval": "1s", "pong_timeout": "500ms"}}
        """), Map.of());
    api = new RawClient.Api(node.port());
    wsClient = node.vertx().createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1024 * 1024).setMaxMessageSize(1024 * 1024));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** A Protobuf connection: every binary frame split into its varint-delimited Replies. */
  private static final class PbClient {
    final WebSocket ws;
    final PbReplies replies = new PbReplies(WAIT);
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();
    volatile boolean autoPong = true;

    PbClient(WebSocket ws) {
      this.ws = ws;
      ws.binaryMessageHandler(b -> {
        frames.add(b.getBytes());
        try {
          CodedInputStream in = CodedInputStream.newInstance(b.getBytes());
          while (!in.isAtEnd()) {
            int len = in.readRawVarint32();
            if (len == 0 && autoPong) {
              ws.writeBinaryMessage(Buffer.buffer(new byte[] {0}));
            }
            replies.add(Reply.parseFrom(in.readRawBytes(len)));
          }
        } catch (IOException e) {
          throw new AssertionError("undecodable frame from the server", e);
        }
      });
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    }

    void send(Command... commands) {
      ws.writeBinaryMessage(Buffer.buffer(frame(commands)));
    }

    Reply next(java.util.function.Predicate<Reply> p) throws InterruptedException {
      return replies.next(p);
    }

    short closeCode() throws Exception {
      return closed.get(WAIT, TimeUnit.SECONDS);
    }
  }

  static byte[] frame(Command... commands) {
    return PbReplies.delimited(commands);
  }

  private static PbClient open() throws Exception {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/connection/websocket").setSubProtocols(List.of("centrifuge-protobuf")).setAllowOriginHeader(false);
    WebSocket ws = wsClient.connect(o).await(WAIT, TimeUnit.SECONDS);
    assertEquals("centrifuge-protobuf", ws.subProtocol(), "the server selects the Protobuf subprotocol");
    return new PbClient(ws);
  }

  private static PbClient connected(String user) throws Exception {
    PbClient c = open();
    c.send(Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(RawClient.token(user))).build());
    Reply r = c.next(x -> x.getId() == 1);
    assertTrue(r.hasConnect(), () -> "connect failed: " + r);
    return c;
  }

  @Test
  void connectSubscribeAndPublishInOneFrame() throws Exception {
    PbClient c = open();
    c.send(Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(RawClient.token("pb-a"))).build(),
        Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("pb-frame")).build(),
        Command.newBuilder().setId(3).setPublish(PublishRequest.newBuilder().setChannel("pb-frame")
            .setData(ByteString.copyFromUtf8("{\"x\":1}"))).build());
    Reply connect = c.next(r -> r.getId() == 1);
    assertEquals(1, connect.getConnect().getPing(), "ping interval in seconds");
    assertTrue(connect.getConnect().getPong());
    Reply sub = c.next(r -> r.getId() == 2);
    assertTrue(sub.getSubscribe().getRecoverable() && sub.getSubscribe().getPositioned(), sub::toString);
    assertTrue(c.next(r -> r.getId() == 3).hasPublish(), "an empty publish result is still sent");
    Reply pub = c.next(Reply::hasPush);
    assertEquals("pb-frame", pub.getPush().getChannel());
    assertEquals("{\"x\":1}", pub.getPush().getPub().getData().toStringUtf8());
    assertEquals("pb-a", pub.getPush().getPub().getInfo().getUser());
    assertEquals(1, pub.getPush().getPub().getOffset());

    // Bytes that hold no JSON value are published and delivered unchanged.
    byte[] binary = {(byte) 0xff, 0x00, (byte) 0xfe};
    c.send(Command.newBuilder().setId(4).setPublish(PublishRequest.newBuilder().setChannel("pb-frame")
        .setData(ByteString.copyFrom(binary))).build());
    assertTrue(c.next(r -> r.getId() == 4).hasPublish());
    Reply binaryPub = c.next(Reply::hasPush);
    assertEquals(ByteString.copyFrom(binary), binaryPub.getPush().getPub().getData());
    assertEquals(2, binaryPub.getPush().getPub().getOffset());

    // A reply error, Protobuf-encoded: empty data is refused with 107 (publication_data_format "").
    c.send(Command.newBuilder().setId(5).setPublish(PublishRequest.newBuilder().setChannel("pb-frame")).build());
    Reply refused = c.next(r -> r.getId() == 5);
    assertEquals(107, refused.getError().getCode());
    c.ws.close();
  }

  @Test
  void pingIsOneZeroByteAndAnEmptyCommandIsThePong() throws Exception {
    PbClient c = connected("pb-ping");
    c.autoPong = false;
    for (int round = 0; round < 2; round++) {
      byte[] ping = c.frames.poll(WAIT, TimeUnit.SECONDS);
      while (ping != null && ping.length != 1) {
        ping = c.frames.poll(WAIT, TimeUnit.SECONDS);
      }
      assertNotNull(ping, "no ping");
      assertArrayEquals(new byte[] {0}, ping);
      c.ws.writeBinaryMessage(Buffer.buffer(new byte[] {0}));
    }
    // Answered pongs keep it open past several pong timeouts.
    assertTrue(!c.closed.isDone(), "closed although every ping was answered");
    c.ws.close();
  }

  @Test
  void badInputClosesWithTheProtocolCodesAndHarmsNoOne() throws Exception {
    RawClient json = RawClient.open(node.vertx(), node.port()).autoPong(true);
    json.connect(RawClient.token("json-probe"));
    json.subscribe("pb-probe");

    byte[][] bad = {
        {},                                                   // no command
        {(byte) 0x80},                                        // truncated varint
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, // varint over 32 bits
        {0x10, 0x01},                                         // length beyond the frame
        {0x05, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // not a Command
        {0x04, 0x08, 0x01, 0x5a, 0x00},                       // id 1 with only the unsupported ping request
    };
    for (byte[] frame : bad) {
      PbClient c = open();
      c.ws.writeBinaryMessage(Buffer.buffer(frame));
      assertEquals((short) 3501, c.closeCode(), () -> "frame " + java.util.Arrays.toString(frame));
    }
    PbClient text = open();
    text.ws.writeTextMessage("{\"id\":1,\"connect\":{}}");
    assertEquals((short) 3501, text.closeCode(), "a text frame on a Protobuf connection");

    PbClient big = open();
    big.ws.writeBinaryMessage(Buffer.buffer(new byte[70_000]));
    assertEquals((short) 1009, big.closeCode(), "over websocket.message_size_limit");

    // The JSON subscriber saw none of it and still receives.
    api.publish("pb-probe", "{\"still\":\"here\"}");
    assertEquals("here", json.await(RawClient.pub("pb-probe")).path("push").path("pub").path("data").path("still").asText());
    json.close();
  }

  @Test
  void jsonAndProtobufSubscribersGetTheSamePublication() throws Exception {
    RawClient json = RawClient.open(node.vertx(), node.port()).autoPong(true);
    json.connect(RawClient.token("json-mixed"));
    json.subscribe("pb-mixed");
    PbClient pb = connected("pb-mixed");
    pb.send(Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("pb-mixed")).build());
    pb.next(r -> r.getId() == 2);

    api.publish("pb-mixed", "{\"both\":[1,2]}");
    assertEquals("{\"both\":[1,2]}", pb.next(Reply::hasPush).getPush().getPub().getData().toString(StandardCharsets.UTF_8));
    assertEquals(2, json.await(RawClient.pub("pb-mixed")).path("push").path("pub").path("data").path("both").size());
    pb.ws.close();
    json.close();
  }
}
