package io.rotor.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.rotor.protocol.pb.Command;
import io.rotor.protocol.pb.ConnectRequest;
import io.rotor.protocol.pb.EmulationRequest;
import io.rotor.protocol.pb.Reply;
import io.rotor.protocol.pb.SubscribeRequest;
import io.rotor.config.RotorOptions;
import io.rotor.testing.OnContext;
import io.rotor.testing.PbReplies;
import io.rotor.testing.RawClient;
import io.rotor.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protobuf over {@code /connection/http_stream} and {@code /emulation} at the byte level: a
 * varint-delimited connect Command in the POST body, varint-delimited Replies on the octet stream,
 * later commands in {@code EmulationRequest} messages, and the disconnect as a Protobuf push.
 */
class ProtobufHttpStreamTest {

  private static final long WAIT = 10;
  private static final String OCTETS = "application/octet-stream";
  private static TestNode node;
  private static RawClient.Api api;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    RotorOptions o = TestNode.allTransports();
    // Short pings, so the pong through /emulation is exercised within the test.
    o.getClient().setPingInterval(Duration.ofSeconds(1)).setPongTimeout(Duration.ofMillis(700));
    node = TestNode.start(o);
    api = new RawClient.Api(node.port());
    // One connection per request: a stream holds its connection for as long as it lasts, and a
    // connection the node closed after a refused body must never carry the next /emulation POST.
    http = node.vertx().createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** One http_stream response, its bytes split into Replies as the varint prefixes arrive. */
  private static final class PbStream {
    final HttpClientResponse response;
    final PbReplies replies = new PbReplies(WAIT);
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private Buffer pending = Buffer.buffer();

    PbStream(HttpClientResponse response) {
      this.response = response;
      response.handler(this::onBytes);
      response.endHandler(v -> ended.complete(null));
      response.exceptionHandler(ended::completeExceptionally);
    }

    /** Chunks may split a message or its prefix: parse only the complete ones. */
    private void onBytes(Buffer b) {
      pending.appendBuffer(b);
      byte[] bytes = pending.getBytes();
      int consumed = 0;
      try {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        while (!in.isAtEnd()) {
          int len;
          try {
            len = in.readRawVarint32();
          } catch (IOException truncated) {
            break;
          }
          if (len > bytes.length - in.getTotalBytesRead()) {
            break;
          }
          replies.add(Reply.parseFrom(in.readRawBytes(len)));
          consumed = in.getTotalBytesRead();
        }
      } catch (IOException e) {
        throw new AssertionError("undecodable bytes on the stream", e);
      }
      pending = pending.getBuffer(consumed, pending.length());
    }

    Reply next(Predicate<Reply> p) throws InterruptedException {
      return replies.next(p);
    }
  }

  private static byte[] delimited(Command... commands) {
    return PbReplies.delimited(commands);
  }

  private static io.vertx.core.Future<HttpClientResponse> request(String path, String contentType, byte[] body) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.port())
        .setURI(path).putHeader("Content-Type", contentType);
    return http.request(o).compose(req -> req.send(Buffer.buffer(body)));
  }

  /** Every step on one context, so no handler is set after its response arrived (see OnContext). */
  private static <T> T onContext(java.util.function.Supplier<io.vertx.core.Future<T>> chain) throws Exception {
    return OnContext.call(node.vertx(), chain).await(WAIT, TimeUnit.SECONDS);
  }

  /** A short answer, read whole; returns the status. */
  private static int post(String path, String contentType, byte[] body) throws Exception {
    return onContext(() -> request(path, contentType, body).compose(r -> r.body().map(b -> r.statusCode())));
  }

  /** The stream's handlers are set on the context as the response arrives, before any bytes. */
  private static PbStream open(String user) throws Exception {
    PbStream s = onContext(() -> request("/connection/http_stream", OCTETS, delimited(Command.newBuilder().setId(1)
        .setConnect(ConnectRequest.newBuilder().setToken(RawClient.token(user)).setName("pb-stream")).build()))
        .map(PbStream::new));
    assertEquals(200, s.response.statusCode());
    assertEquals(OCTETS, s.response.getHeader("Content-Type"));
    return s;
  }

  private static int emulate(Reply connect, byte[] data) throws Exception {
    EmulationRequest req = EmulationRequest.newBuilder().setNode(connect.getConnect().getNode())
        .setSession(connect.getConnect().getSession()).setData(ByteString.copyFrom(data)).build();
    return post("/emulation", OCTETS, req.toByteArray());
  }

  @Test
  void connectSubscribeAndReceiveAnApiPublication() throws Exception {
    PbStream s = open("pbs-a");
    Reply connect = s.next(r -> r.getId() == 1);
    assertTrue(connect.hasConnect(), connect::toString);
    assertFalse(connect.getConnect().getSession().isEmpty(), "an emulation connect reply carries the session");
    assertFalse(connect.getConnect().getNode().isEmpty(), "and the node");

    assertEquals(204, emulate(connect, delimited(
        Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("pbs-chan")).build())));
    Reply sub = s.next(r -> r.getId() == 2);
    assertTrue(sub.hasSubscribe(), sub::toString);

    // The ping is an empty Reply on the stream; the pong, an empty Command, comes back through
    // /emulation. Unanswered, the next pong timeout would end the stream with 3012.
    for (int round = 0; round < 2; round++) {
      s.next(r -> r.equals(Reply.getDefaultInstance()));
      assertEquals(204, emulate(connect, delimited(Command.getDefaultInstance())));
    }

    api.result("publish", "{\"channel\":\"pbs-chan\",\"data\":{\"n\":1}}");
    Reply pub = s.next(r -> r.hasPush() && r.getPush().hasPub());
    assertEquals("pbs-chan", pub.getPush().getChannel(), pub::toString);
    assertEquals("{\"n\":1}", pub.getPush().getPub().getData().toStringUtf8());
    assertFalse(s.ended.isDone(), "the stream stays open");
    s.response.request().reset();
  }

  @Test
  void aBadCommandEndsTheStreamWithAProtobufDisconnectPush() throws Exception {
    PbStream s = open("pbs-b");
    Reply connect = s.next(r -> r.getId() == 1);
    // A well-formed EmulationRequest whose data is no Command: 204, then the client closes with 3501.
    assertEquals(204, emulate(connect, new byte[] {0x05, 0x01}));
    Reply disconnect = s.next(r -> r.hasPush() && r.getPush().hasDisconnect());
    assertEquals(3501, disconnect.getPush().getDisconnect().getCode());
    s.ended.get(WAIT, TimeUnit.SECONDS);
    // The session is gone with its stream.
    assertEquals(404, emulate(connect, delimited(Command.getDefaultInstance())));
  }

  @Test
  void badProtobufBodiesAreRefused() throws Exception {
    // A length prefix beyond the body, and a Command with no request.
    assertEquals(400, post("/connection/http_stream", OCTETS, new byte[] {0x05, 0x01}));
    assertEquals(400, post("/connection/http_stream", OCTETS, delimited(Command.newBuilder().setId(1).build())));
    assertEquals(400, post("/connection/http_stream", OCTETS, new byte[0]));
    // Protobuf stays http_stream-only, as in Centrifugo.
    assertEquals(400, post("/connection/sse", OCTETS, delimited(Command.newBuilder().setId(1)
        .setConnect(ConnectRequest.newBuilder().setToken(RawClient.token("pbs-sse"))).build())));
    // An EmulationRequest that does not parse (a truncated string field), and one with no data.
    assertEquals(400, post("/emulation", OCTETS, new byte[] {0x0a, 0x05, 'a'}));
    assertEquals(400, post("/emulation", OCTETS,
        EmulationRequest.newBuilder().setNode("n").setSession("s").build().toByteArray()));
    assertEquals(404, post("/emulation", OCTETS, EmulationRequest.newBuilder().setNode("no-such-node")
        .setSession("s").setData(ByteString.copyFrom(new byte[] {0})).build().toByteArray()));
  }
}
