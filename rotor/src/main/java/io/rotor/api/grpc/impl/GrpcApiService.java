package io.rotor.api.grpc.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.rotor.api.ServerApi;
import io.rotor.api.grpc.pb.Api;
import io.rotor.api.grpc.pb.Error;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code centrifugal.centrifugo.api.CentrifugoApi} service bound by hand (no generated stubs):
 * one unary method per server API method Rotor has, each converting its request to the HTTP API's
 * params ({@link ProtoJson}), calling {@link ServerApi#call} on a Vert.x event loop, and converting
 * the answer back. Methods of the schema that Rotor lacks are not bound: gRPC answers UNIMPLEMENTED.
 *
 * <p>gRPC's own Netty threads only decode and encode: the call itself runs on one of the node's
 * event-loop contexts, taken in turn, as an HTTP API request would.
 */
public final class GrpcApiService {

  /** gRPC method name -> server API method. */
  static final Map<String, String> METHODS = Map.ofEntries(
      Map.entry("Batch", "batch"), Map.entry("Publish", "publish"), Map.entry("Broadcast", "broadcast"),
      Map.entry("Subscribe", "subscribe"), Map.entry("Unsubscribe", "unsubscribe"),
      Map.entry("Disconnect", "disconnect"), Map.entry("Presence", "presence"),
      Map.entry("PresenceStats", "presence_stats"), Map.entry("History", "history"),
      Map.entry("HistoryRemove", "history_remove"), Map.entry("Info", "info"), Map.entry("Refresh", "refresh"),
      Map.entry("Channels", "channels"));

  static final Context.Key<Boolean> TRANSPORT_ERRORS = Context.key("rotor-transport-errors");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> ERROR_MODE =
      Metadata.Key.of("x-centrifugo-error-mode", Metadata.ASCII_STRING_MARSHALLER);

  private final ServerApi api;
  private final List<ContextInternal> contexts;
  private final AtomicInteger next = new AtomicInteger();
  private final boolean transportErrors;

  public GrpcApiService(ServerApi api, List<ContextInternal> contexts, boolean transportErrors) {
    this.api = api;
    this.contexts = contexts;
    this.transportErrors = transportErrors;
  }

  public ServerServiceDefinition definition() {
    ServiceDescriptor service = Api.getDescriptor().findServiceByName("CentrifugoApi");
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getFullName());
    for (MethodDescriptor m : service.getMethods()) {
      String apiMethod = METHODS.get(m.getName());
      if (apiMethod != null) {
        b.addMethod(descriptor(m), ServerCalls.asyncUnaryCall(
            (Message request, StreamObserver<Message> out) -> call(apiMethod, m.getOutputType(), request, out)));
      }
    }
    return b.build();
  }

  /** The gRPC method descriptor of a schema method: full name and protobuf marshallers of its messages. */
  public static io.grpc.MethodDescriptor<Message, Message> descriptor(MethodDescriptor m) {
    return io.grpc.MethodDescriptor.<Message, Message>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(defaultInstance(m.getInputType())))
        .setResponseMarshaller(ProtoUtils.marshaller(defaultInstance(m.getOutputType())))
        .build();
  }

  static Message defaultInstance(Descriptor type) {
    try {
      Class<?> c = Class.forName(Api.class.getPackageName() + "." + type.getName());
      return (Message) c.getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no generated class for " + type.getFullName(), e);
    }
  }

  private void call(String method, Descriptor responseType, Message request, StreamObserver<Message> out) {
    boolean transport = transportErrors || Boolean.TRUE.equals(TRANSPORT_ERRORS.get());
    ContextInternal ctx = contexts.get(Math.floorMod(next.getAndIncrement(), contexts.size()));
    ctx.runOnContext(v -> {
      Future<JsonNode> result;
      try {
        result = api.call("grpc", method, ProtoJson.toJson(request));
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(done -> answer(method, responseType, done, transport, out));
    });
  }

  private static void answer(String method, Descriptor responseType, AsyncResult<JsonNode> done, boolean transport,
      StreamObserver<Message> out) {
    Message.Builder response = defaultInstance(responseType).newBuilderForType();
    try {
      if (done.failed()) {
        ClientError e = done.cause() instanceof ClientError.Exception ce ? ce.error() : ClientError.INTERNAL;
        Error error = Error.newBuilder().setCode(e.code()).setMessage(e.message()).build();
        if (transport) {
          out.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
              .setCode(statusCode(e.code()).value()).setMessage(e.message()).addDetails(Any.pack(error)).build()));
          return;
        }
        response.setField(responseType.findFieldByName("error"), error);
      } else if ("batch".equals(method)) {
        // The batch result is the response itself ({"replies": [...]}), as on HTTP.
        ProtoJson.fromJson(plain(done.result()), response);
      } else {
        Message.Builder result = response.newBuilderForField(responseType.findFieldByName("result"));
        ProtoJson.fromJson(plain(done.result()), result);
        response.setField(responseType.findFieldByName("result"), result.build());
      }
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription("cannot encode the " + method + " result").asRuntimeException());
      return;
    }
    out.onNext(response.build());
    out.onCompleted();
  }

  /** A result as a plain tree: results may hold pre-encoded values (publications, client infos). */
  private static JsonNode plain(JsonNode result) {
    try {
      return JsonCodec.MAPPER.readTree(JsonCodec.toBytes(result));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Centrifugo's mapping of API error codes to gRPC status codes in transport error mode. */
  static Status.Code statusCode(int code) {
    switch (code) {
      case 102, 104:
        return Status.Code.NOT_FOUND;
      case 107, 108:
        return Status.Code.INVALID_ARGUMENT;
      case 112:
        return Status.Code.OUT_OF_RANGE;
      case 113:
        return Status.Code.ALREADY_EXISTS;
      default:
        return Status.Code.INTERNAL;
    }
  }

  /**
   * Key auth as Centrifugo does it: metadata {@code authorization: apikey <key>}, compared in
   * constant time; without a configured key every call passes. Also reads the per-call
   * {@code x-centrifugo-error-mode: transport}.
   */
  public static ServerInterceptor interceptor(String key) {
    byte[] expected = ("apikey " + key).getBytes(StandardCharsets.UTF_8);
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        if (!key.isEmpty()) {
          String given = headers.get(AUTHORIZATION);
          if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            call.close(Status.UNAUTHENTICATED.withDescription("unauthenticated"), new Metadata());
            return new ServerCall.Listener<>() { };
          }
        }
        Context ctx = Context.current().withValue(TRANSPORT_ERRORS, "transport".equals(headers.get(ERROR_MODE)));
        return Contexts.interceptCall(ctx, call, headers, next);
      }
    };
  }
}
