package io.rotor.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A real backend HTTP server for proxy tests: each path ({@code /connect}, {@code /rpc}, ...) has a
 * handler the test sets; every request is recorded with its headers for assertions.
 */
final class Backend implements AutoCloseable {

  record Request(String path, JsonObject body, MultiMap headers) {
  }

  private final HttpServer server;
  private final Map<String, BiConsumer<JsonObject, HttpServerRequest>> handlers = new ConcurrentHashMap<>();
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

  Backend(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
      requests.add(new Request(req.path(), json, MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
      BiConsumer<JsonObject, HttpServerRequest> h = handlers.get(req.path());
      if (h == null) {
        req.response().setStatusCode(404).end();
      } else {
        h.accept(json, req);
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Answers every request on this path with this JSON. */
  void answer(String path, String json) {
    handlers.put(path, (body, req) -> req.response().putHeader("Content-Type", "application/json").end(json));
  }

  void handle(String path, BiConsumer<JsonObject, HttpServerRequest> handler) {
    handlers.put(path, handler);
  }

  /** The next request the backend received on this path. */
  Request next(String path) throws InterruptedException {
    while (true) {
      Request r = requests.poll(5, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("backend got no request on " + path);
      }
      if (r.path().equals(path)) {
        return r;
      }
    }
  }

  void clear() {
    requests.clear();
    handlers.clear();
  }

  @Override
  public void close() throws Exception {
    server.close().await(5, TimeUnit.SECONDS);
  }
}
