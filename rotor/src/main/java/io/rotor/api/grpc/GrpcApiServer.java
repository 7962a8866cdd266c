package io.rotor.api.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.rotor.api.ServerApi;
import io.rotor.api.grpc.impl.GrpcApiService;
import io.rotor.config.GrpcApiOptions;
import io.rotor.config.Pem;
import io.rotor.config.TlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server API over gRPC ({@code grpc_api.*}) on its own port, with Centrifugo v6's schema
 * (src/main/proto/api.proto): clients generated from Centrifugo's api.proto work unchanged. It runs
 * grpc-java's Netty server; each call is handed to one of the node's event loops, where the same
 * {@link ServerApi} as the HTTP API serves it (through the cluster when there is one).
 */
public final class GrpcApiServer {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcApiServer.class);

  private final Server server;

  private GrpcApiServer(Server server) {
    this.server = server;
  }

  public static Future<GrpcApiServer> start(Vertx vertx, ServerApi api, GrpcApiOptions options) {
    // Binding is blocking: done on a worker, never on an event loop.
    return vertx.executeBlocking(() -> {
      List<ContextInternal> contexts = new ArrayList<>();
      VertxInternal vi = (VertxInternal) vertx;
      for (var ignored : vi.nettyEventLoopGroup()) {
        contexts.add(vi.createEventLoopContext());
      }
      GrpcApiService service = new GrpcApiService(api, contexts,
          GrpcApiOptions.ERROR_MODE_TRANSPORT.equals(options.getErrorMode()));
      String host = options.getAddress().isEmpty() ? "0.0.0.0" : options.getAddress();
      NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, options.getPort()))
          .directExecutor()
          .addService(ServerInterceptors.intercept(service.definition(), GrpcApiService.interceptor(options.getKey())));
      if (options.getMaxReceiveMessageSize() > 0) {
        b.maxInboundMessageSize(options.getMaxReceiveMessageSize());
      }
      if (options.getTls().isEnabled()) {
        b.sslContext(sslContext(options.getTls()));
      }
      Server server = b.build().start();
      if (options.getKey().isEmpty()) {
        LOG.warn("gRPC API on port {} has no grpc_api.key: every call is accepted", server.getPort());
      } else {
        LOG.info("gRPC API on port {}", server.getPort());
      }
      return new GrpcApiServer(server);
    });
  }

  private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(TlsOptions tls) throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(pem(tls.getCertPem()), pem(tls.getKeyPem())));
    if (!tls.getClientCaPem().isEmpty()) {
      // A client CA means mutual TLS, as in Centrifugo: clients must present a certificate it signed.
      ssl.trustManager(pem(tls.getClientCaPem())).clientAuth(ClientAuth.REQUIRE);
    }
    return ssl.build();
  }

  private static ByteArrayInputStream pem(String value) {
    return new ByteArrayInputStream(Pem.read(value).getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The bound port (the configured one, or the free one picked for port 0). */
  public int port() {
    return server.getPort();
  }

  /** Stops taking calls and waits a little for running ones. */
  public Future<Void> close(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      server.shutdown();
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
      return null;
    });
  }
}
