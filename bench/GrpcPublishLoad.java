// gRPC publish load for scripts/bench.sh (S6, row "rotor-grpc"): CONC calls in flight for SECONDS on
// one channel, the same publish body as bench/publish.lua, through the stubs of Rotor's api.proto.
// Run as a single-file program on the node's jar (it holds grpc-java and the generated messages):
//   java -cp target/rotor.jar bench/GrpcPublishLoad.java PORT KEY CONC SECONDS
// Prints one JSON line like wrk_json's: req_per_s, requests, errors, latency_avg.
import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.rotor.api.grpc.pb.PublishRequest;
import io.rotor.api.grpc.pb.PublishResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

public class GrpcPublishLoad {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String key = args[1];
    int conc = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "apikey " + key);
    io.grpc.Channel ch = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    MethodDescriptor<PublishRequest, PublishResponse> publish = MethodDescriptor.<PublishRequest, PublishResponse>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("centrifugal.centrifugo.api.CentrifugoApi/Publish")
        .setRequestMarshaller(ProtoUtils.marshaller(PublishRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(PublishResponse.getDefaultInstance()))
        .build();
    PublishRequest req = PublishRequest.newBuilder().setChannel("bench6").setData(ByteString.copyFrom(
        "{\"text\":\"hello world, this is a 100-byte-ish payload for publish api benchmarking purposes......\"}",
        StandardCharsets.UTF_8)).build();
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong latencyNanos = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch finished = new CountDownLatch(conc);
    long start = System.nanoTime();
    for (int i = 0; i < conc; i++) {
      new Object() {
        void next() {
          if (System.nanoTime() >= end) {
            finished.countDown();
            return;
          }
          long t0 = System.nanoTime();
          ClientCalls.asyncUnaryCall(ch.newCall(publish, CallOptions.DEFAULT), req, new StreamObserver<PublishResponse>() {
            public void onNext(PublishResponse r) {
              if (r.hasError()) {
                errors.incrementAndGet();
              }
            }
            public void onError(Throwable t) {
              errors.incrementAndGet();
              done.incrementAndGet();
              next();
            }
            public void onCompleted() {
              latencyNanos.addAndGet(System.nanoTime() - t0);
              done.incrementAndGet();
              next();
            }
          });
        }
      }.next();
    }
    finished.await();
    double secs = (System.nanoTime() - start) / 1e9;
    long n = done.get();
    System.out.printf("{\"req_per_s\":%d,\"requests\":%d,\"errors\":%d,\"latency_avg\":\"%.2fms\"}%n",
        (long) (n / secs), n, errors.get(), n == 0 ? 0 : latencyNanos.get() / 1e6 / n);
    channel.shutdownNow();
  }
}
