package io.rotor.api.grpc;

import static io.rotor.testing.RawClient.json;
import static io.rotor.testing.RawClient.pub;
import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.rotor.api.grpc.pb.BatchRequest;
import io.rotor.api.grpc.pb.BatchResponse;
import io.rotor.api.grpc.pb.BroadcastRequest;
import io.rotor.api.grpc.pb.BroadcastResponse;
import io.rotor.api.grpc.pb.ChannelsRequest;
import io.rotor.api.grpc.pb.ChannelsResponse;
import io.rotor.api.grpc.pb.Command;
import io.rotor.api.grpc.pb.Disconnect;
import io.rotor.api.grpc.pb.DisconnectRequest;
import io.rotor.api.grpc.pb.DisconnectResponse;
import io.rotor.api.grpc.pb.Error;
import io.rotor.api.grpc.pb.HistoryRemoveRequest;
import io.rotor.api.grpc.pb.HistoryRemoveResponse;
import io.rotor.api.grpc.pb.HistoryRequest;
import io.rotor.api.grpc.pb.HistoryResponse;
import io.rotor.api.grpc.pb.InfoRequest;
import io.rotor.api.grpc.pb.InfoResponse;
import io.rotor.api.grpc.pb.PresenceRequest;
import io.rotor.api.grpc.pb.PresenceResponse;
import io.rotor.api.grpc.pb.PresenceStatsRequest;
import io.rotor.api.grpc.pb.PresenceStatsResponse;
import io.rotor.api.grpc.pb.PublishRequest;
import io.rotor.api.grpc.pb.PublishResponse;
import io.rotor.api.grpc.pb.RPCRequest;
import io.rotor.api.grpc.pb.RPCResponse;
import io.rotor.api.grpc.pb.RefreshRequest;
import io.rotor.api.grpc.pb.RefreshResponse;
import io.rotor.api.grpc.pb.StreamPosition;
import io.rotor.api.grpc.pb.SubscribeRequest;
import io.rotor.api.grpc.pb.SubscribeResponse;
import io.rotor.api.grpc.pb.UnsubscribeRequest;
import io.rotor.api.grpc.pb.UnsubscribeResponse;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestCerts;
import io.rotor.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every method of the gRPC server API over a real port, called through client stubs built from
 * Rotor's api.proto (the same names and numbers as Centrifugo's), with real WebSocket clients where
 * a method acts on connections.
 */
class GrpcApiTest extends SharedNodeTest {

  private static final String KEY = "grpc-test-key";
  private static TestNode grpcNode;
  private static ManagedChannel channel;

  @BeforeAll
  static void startGrpcNode() {
    grpcNode = TestNode.start(RawClient.config("{\"grpc_api\":{\"enabled\":true,\"port\":0,\"address\":\"127.0.0.1\","
        + "\"key\":\"" + KEY + "\"}}"), Map.of());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcNode.server().grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stopGrpcNode() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpcNode.close();
  }

  /** A client-side descriptor of a CentrifugoApi method, as generated stubs would hold it. */
  @SuppressWarnings("unchecked")
  static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(String name, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("centrifugal.centrifugo.api.CentrifugoApi", name))
        .setRequestMarshaller(ProtoUtils.marshaller((Q) request.getDefaultInstanceForType()))
        .setResponseMarshaller(ProtoUtils.marshaller((R) response.getDefaultInstanceForType()))
        .build();
  }

  static ClientInterceptor headers(String... kv) {
    Metadata md = new Metadata();
    for (int i = 0; i < kv.length; i += 2) {
      md.put(Metadata.Key.of(kv[i], Metadata.ASCII_STRING_MARSHALLER), kv[i + 1]);
    }
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }

  static <Q extends Message, R extends Message> R call(ManagedChannel ch, String name, Q request, R responseType,
      String... headers) {
    io.grpc.Channel c = io.grpc.ClientInterceptors.intercept(ch, headers(headers));
    return ClientCalls.blockingUnaryCall(c, method(name, request, responseType),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  /** A call with the right key. */
  static <Q extends Message, R extends Message> R call(String name, Q request, R responseType) {
    return call(channel, name, request, responseType, "authorization", "apikey " + KEY);
  }

  static ByteString bytes(String json) {
    return ByteString.copyFrom(json, StandardCharsets.UTF_8);
  }

  static JsonNode tree(ByteString b) {
    return json("{\"v\":" + b.toStringUtf8() + "}").get("v");
  }

  // ---- methods --------------------------------------------------------------------------------

  @Test
  void publishReachesSubscribersWithItsPosition() {
    String ch = unique("g");
    RawClient c = connected(grpcNode, unique("u"));
    c.subscribe(ch);
    PublishResponse r = call("Publish", PublishRequest.newBuilder().setChannel(ch).setData(bytes("{\"n\":1}"))
        .putTags("k", "v").build(), PublishResponse.getDefaultInstance());
    assertFalse(r.hasError(), r::toString);
    assertEquals(1, r.getResult().getOffset());
    assertFalse(r.getResult().getEpoch().isEmpty());
    JsonNode p = c.await(pub(ch)).get("push").get("pub");
    assertEquals(json("{\"n\":1}"), p.get("data"));
    assertEquals(1, p.get("offset").asLong());
    assertEquals("v", p.get("tags").get("k").asText());

    // skip_history: delivered, not kept, no position.
    PublishResponse skipped = call("Publish", PublishRequest.newBuilder().setChannel(ch).setData(bytes("[2]"))
        .setSkipHistory(true).build(), PublishResponse.getDefaultInstance());
    assertFalse(skipped.hasError(), skipped::toString);
    assertEquals(0, skipped.getResult().getOffset());
    assertEquals(json("{\"v\":[2]}").get("v"), c.await(pub(ch)).get("push").get("pub").get("data"));
  }

  @Test
  void broadcastAnswersPerChannel() {
    String a = unique("ba");
    String b = unique("bb");
    BroadcastResponse r = call("Broadcast", BroadcastRequest.newBuilder().addChannels(a).addChannels(b)
        .addChannels("nosuchns:x").setData(bytes("{\"b\":true}")).build(), BroadcastResponse.getDefaultInstance());
    assertFalse(r.hasError(), r::toString);
    assertEquals(3, r.getResult().getResponsesCount());
    assertEquals(1, r.getResult().getResponses(0).getResult().getOffset());
    assertEquals(1, r.getResult().getResponses(1).getResult().getOffset());
    assertEquals(102, r.getResult().getResponses(2).getError().getCode());
  }

  @Test
  void subscribeAndUnsubscribeActOnTheUsersConnections() {
    String user = unique("u");
    String ch = unique("srv");
    RawClient c = connected(grpcNode, user);
    SubscribeResponse s = call("Subscribe", SubscribeRequest.newBuilder().setUser(user).setChannel(ch).build(),
        SubscribeResponse.getDefaultInstance());
    assertFalse(s.hasError(), s::toString);
    assertTrue(s.hasResult());
    c.await(push(ch, "subscribe"));
    UnsubscribeResponse u = call("Unsubscribe", UnsubscribeRequest.newBuilder().setUser(user).setChannel(ch).build(),
        UnsubscribeResponse.getDefaultInstance());
    assertFalse(u.hasError(), u::toString);
    c.await(push(ch, "unsubscribe"));
    SubscribeResponse bad = call("Subscribe", SubscribeRequest.newBuilder().setChannel(ch).build(),
        SubscribeResponse.getDefaultInstance());
    assertEquals(107, bad.getError().getCode());
  }

  @Test
  void presenceStatsAndPresence() {
    String ch = unique("pr");
    String user = unique("u");
    RawClient c = connected(grpcNode, user);
    c.subscribe(ch);
    PresenceResponse p = call("Presence", PresenceRequest.newBuilder().setChannel(ch).build(),
        PresenceResponse.getDefaultInstance());
    assertFalse(p.hasError(), p::toString);
    assertEquals(1, p.getResult().getPresenceCount());
    assertEquals(user, p.getResult().getPresenceMap().values().iterator().next().getUser());
    PresenceStatsResponse st = call("PresenceStats", PresenceStatsRequest.newBuilder().setChannel(ch).build(),
        PresenceStatsResponse.getDefaultInstance());
    assertEquals(1, st.getResult().getNumClients());
    assertEquals(1, st.getResult().getNumUsers());
    // A namespace without presence: 108, as on HTTP.
    PresenceResponse off = call("Presence", PresenceRequest.newBuilder().setChannel("nohistory:" + ch).build(),
        PresenceResponse.getDefaultInstance());
    assertEquals(108, off.getError().getCode());
  }

  @Test
  void historyAndHistoryRemove() {
    String ch = unique("h");
    for (int i = 1; i <= 3; i++) {
      call("Publish", PublishRequest.newBuilder().setChannel(ch).setData(bytes("{\"i\":" + i + "}")).build(),
          PublishResponse.getDefaultInstance());
    }
    HistoryResponse all = call("History", HistoryRequest.newBuilder().setChannel(ch).setLimit(-1).build(),
        HistoryResponse.getDefaultInstance());
    assertFalse(all.hasError(), all::toString);
    assertEquals(3, all.getResult().getPublicationsCount());
    assertEquals(3, all.getResult().getOffset());
    assertEquals(json("{\"i\":2}"), tree(all.getResult().getPublications(1).getData()));
    assertEquals(2, all.getResult().getPublications(1).getOffset());
    HistoryResponse since = call("History", HistoryRequest.newBuilder().setChannel(ch).setLimit(10)
        .setSince(StreamPosition.newBuilder().setOffset(2).setEpoch(all.getResult().getEpoch())).build(),
        HistoryResponse.getDefaultInstance());
    assertEquals(1, since.getResult().getPublicationsCount());
    assertEquals(3, since.getResult().getPublications(0).getOffset());

    HistoryRemoveResponse removed = call("HistoryRemove", HistoryRemoveRequest.newBuilder().setChannel(ch).build(),
        HistoryRemoveResponse.getDefaultInstance());
    assertFalse(removed.hasError(), removed::toString);
    HistoryResponse after = call("History", HistoryRequest.newBuilder().setChannel(ch).setLimit(-1).build(),
        HistoryResponse.getDefaultInstance());
    assertEquals(0, after.getResult().getPublicationsCount());
    HistoryResponse off = call("History", HistoryRequest.newBuilder().setChannel("nohistory:" + ch).build(),
        HistoryResponse.getDefaultInstance());
    assertEquals(108, off.getError().getCode());
  }

  @Test
  void channelsAndInfo() {
    String ch = unique("chan");
    RawClient c = connected(grpcNode, unique("u"));
    c.subscribe(ch);
    ChannelsResponse r = call("Channels", ChannelsRequest.newBuilder().setPattern(ch).build(),
        ChannelsResponse.getDefaultInstance());
    assertFalse(r.hasError(), r::toString);
    assertEquals(Map.of(ch, 1), Map.of(ch, r.getResult().getChannelsMap().get(ch).getNumClients()));
    InfoResponse info = call("Info", InfoRequest.getDefaultInstance(), InfoResponse.getDefaultInstance());
    assertEquals(1, info.getResult().getNodesCount());
    assertEquals(grpcNode.server().nodeId(), info.getResult().getNodes(0).getUid());
    assertTrue(info.getResult().getNodes(0).getNumClients() >= 1);
  }

  @Test
  void refreshAndDisconnect() {
    String user = unique("u");
    RawClient expired = connected(grpcNode, user);
    RefreshResponse r = call("Refresh", RefreshRequest.newBuilder().setUser(user).setExpired(true).build(),
        RefreshResponse.getDefaultInstance());
    assertFalse(r.hasError(), r::toString);
    assertEquals(3005, expired.awaitClose().code());

    String other = unique("u");
    RawClient gone = connected(grpcNode, other);
    DisconnectResponse d = call("Disconnect", DisconnectRequest.newBuilder().setUser(other)
        .setDisconnect(Disconnect.newBuilder().setCode(4501).setReason("go away")).build(),
        DisconnectResponse.getDefaultInstance());
    assertFalse(d.hasError(), d::toString);
    RawClient.Close close = gone.awaitClose();
    assertEquals(4501, close.code());
    assertEquals("go away", close.reason());
    DisconnectResponse bad = call("Disconnect", DisconnectRequest.newBuilder().setUser(other)
        .setDisconnect(Disconnect.newBuilder().setCode(1000)).build(), DisconnectResponse.getDefaultInstance());
    assertEquals(107, bad.getError().getCode());
  }

  @Test
  void batchRepliesInOrder() {
    String ch = unique("batch");
    BatchResponse r = call("Batch", BatchRequest.newBuilder()
        .addCommands(Command.newBuilder().setPublish(PublishRequest.newBuilder().setChannel(ch).setData(bytes("1"))))
        .addCommands(Command.newBuilder().setPublish(PublishRequest.newBuilder().setChannel(ch).setData(bytes("2"))))
        .addCommands(Command.newBuilder().setHistory(HistoryRequest.newBuilder().setChannel(ch).setLimit(-1)))
        .addCommands(Command.newBuilder().setPresence(PresenceRequest.newBuilder().setChannel("nohistory:x")))
        .addCommands(Command.newBuilder().setRpc(RPCRequest.newBuilder().setMethod("m")))
        .build(), BatchResponse.getDefaultInstance());
    assertEquals(5, r.getRepliesCount(), r::toString);
    assertEquals(1, r.getReplies(0).getPublish().getOffset());
    assertEquals(2, r.getReplies(1).getPublish().getOffset());
    assertEquals(2, r.getReplies(2).getHistory().getPublicationsCount());
    assertEquals(108, r.getReplies(3).getError().getCode());
    assertEquals(104, r.getReplies(4).getError().getCode(), "a method Rotor lacks, as on HTTP");
  }

  // ---- errors and auth ------------------------------------------------------------------------

  @Test
  void badRequestsAnswerTheHttpApisErrors() {
    assertEquals(107, call("Publish", PublishRequest.newBuilder().setData(bytes("{}")).build(),
        PublishResponse.getDefaultInstance()).getError().getCode(), "no channel");
    assertEquals(107, call("Publish", PublishRequest.newBuilder().setChannel(unique("x")).build(),
        PublishResponse.getDefaultInstance()).getError().getCode(), "no data");
    assertEquals(107, call("Publish", PublishRequest.newBuilder().setChannel(unique("x")).setData(bytes("{not json"))
        .build(), PublishResponse.getDefaultInstance()).getError().getCode(), "data that is not JSON");
    Error unknown = call("Publish", PublishRequest.newBuilder().setChannel("nosuchns:x").setData(bytes("{}")).build(),
        PublishResponse.getDefaultInstance()).getError();
    assertEquals(102, unknown.getCode());
    assertEquals("unknown channel", unknown.getMessage());
  }

  @Test
  void transportErrorModeAnswersWithAStatusAndTheErrorInItsDetails() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(channel, "Publish",
        PublishRequest.newBuilder().setChannel("nosuchns:x").setData(bytes("{}")).build(),
        PublishResponse.getDefaultInstance(), "authorization", "apikey " + KEY, "x-centrifugo-error-mode", "transport"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertEquals(102, details.getDetails(0).unpack(Error.class).getCode());
    StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> call(channel, "Publish",
        PublishRequest.newBuilder().build(), PublishResponse.getDefaultInstance(),
        "authorization", "apikey " + KEY, "x-centrifugo-error-mode", "transport"));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
  }

  @Test
  void missingOrWrongKeyIsUnauthenticated() {
    InfoRequest req = InfoRequest.getDefaultInstance();
    for (String[] headers : List.of(new String[0], new String[] {"authorization", "apikey wrong"},
        new String[] {"authorization", KEY}, new String[] {"authorization", "Bearer " + KEY})) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> call(channel, "Info", req, InfoResponse.getDefaultInstance(), headers));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }
  }

  @Test
  void methodsRotorLacksAreUnimplemented() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call("RPC",
        RPCRequest.newBuilder().setMethod("x").build(), RPCResponse.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
  }

  @Test
  void tlsWithClientCertificates(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    TestCerts ca = TestCerts.authority(dir, "grpc");
    TestCerts.NodeCert server = ca.issue("server");
    TestCerts.NodeCert client = ca.issue("client");
    // The key as base64 PEM text, the certificate as a path: both forms Centrifugo takes.
    String keyB64 = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(server.keyPem()));
    TestNode tls = startNode("{\"grpc_api\":{\"enabled\":true,\"port\":0,\"address\":\"127.0.0.1\",\"key\":\"k\","
        + "\"tls\":{\"enabled\":true,\"cert_pem\":\"" + server.certPem() + "\",\"key_pem\":\"" + keyB64 + "\","
        + "\"client_ca_pem\":\"" + ca.caPem() + "\"}}}");
    ManagedChannel good = NettyChannelBuilder.forAddress("127.0.0.1", tls.server().grpcPort())
        .sslContext(GrpcSslContexts.forClient().trustManager(ca.caPem().toFile())
            .keyManager(client.certPem().toFile(), client.keyPem().toFile()).build()).build();
    ManagedChannel noCert = NettyChannelBuilder.forAddress("127.0.0.1", tls.server().grpcPort())
        .sslContext(GrpcSslContexts.forClient().trustManager(ca.caPem().toFile()).build()).build();
    try {
      InfoResponse info = call(good, "Info", InfoRequest.getDefaultInstance(), InfoResponse.getDefaultInstance(),
          "authorization", "apikey k");
      assertEquals(1, info.getResult().getNodesCount());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call(noCert, "Info",
          InfoRequest.getDefaultInstance(), InfoResponse.getDefaultInstance(), "authorization", "apikey k"));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e::toString);
    } finally {
      good.shutdownNow();
      noCert.shutdownNow();
    }
  }
}
