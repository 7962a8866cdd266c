package io.rotor.server;

import io.rotor.api.ServerApi;
import io.rotor.api.grpc.GrpcApiServer;
import io.rotor.config.RotorOptions;
import io.rotor.consuming.Consumers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What feeds the server API besides the HTTP endpoint and the event bus: the gRPC port
 * ({@code grpc_api}) and the asynchronous consumers ({@code consumers}). Started once the node can
 * serve API calls, closed before it leaves.
 */
final class ApiSources {

  private final Vertx vertx;
  private GrpcApiServer grpc;
  private Consumers consumers;

  private ApiSources(Vertx vertx) {
    this.vertx = vertx;
  }

  static Future<ApiSources> start(Vertx vertx, RotorOptions options, ServerApi api) {
    ApiSources s = new ApiSources(vertx);
    Future<Void> grpc = options.getGrpcApi().isEnabled()
        ? GrpcApiServer.start(vertx, api, options.getGrpcApi()).map(g -> {
          s.grpc = g;
          return null;
        })
        : Future.succeededFuture();
    return grpc.compose(v -> Consumers.start(vertx, api, options.getConsumers())).map(c -> {
      s.consumers = c;
      return s;
    }).recover(e -> s.close().transform(x -> Future.failedFuture(e)));
  }

  /** The gRPC API's port, or -1 when it is off. */
  int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  Future<Void> close() {
    Future<Void> c = consumers == null ? Future.succeededFuture() : consumers.close();
    return c.transform(v -> grpc == null ? Future.<Void>succeededFuture() : grpc.close(vertx));
  }
}
