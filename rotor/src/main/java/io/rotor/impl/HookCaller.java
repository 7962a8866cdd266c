package io.rotor.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.core.ClientError;
import io.rotor.core.Disconnect;
import io.rotor.hooks.ClientContext;
import io.rotor.hooks.ConnectEvent;
import io.rotor.hooks.ConnectHook;
import io.rotor.hooks.PublishEvent;
import io.rotor.hooks.PublishHook;
import io.rotor.hooks.RpcEvent;
import io.rotor.hooks.RpcHook;
import io.rotor.hooks.SubscribeEvent;
import io.rotor.hooks.SubscribeHook;
import io.rotor.protocol.JsonCodec;
import io.rotor.proxy.Proxy;
import io.rotor.proxy.ProxyCaller;
import io.rotor.proxy.ProxyClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;
import java.util.function.Function;

/**
 * A Java hook behind the proxy seam: the proxy's request becomes the hook's typed event, the hook's
 * reply (or its {@link ClientError} / {@link Disconnect} failure) becomes the answer a backend would
 * have sent, so {@link Proxy} applies the same checks, metrics and timeouts to both. The request is
 * the in-memory tree the proxy builds anyway; nothing is serialized.
 */
final class HookCaller implements ProxyCaller {

  private final Vertx vertx;
  private final long timeoutMs;
  private final Function<Call, Future<ObjectNode>> hook;

  /** One hook call: the client and the proxy request's fields. */
  record Call(ClientContext client, ObjectNode request) {

    Buffer payload(String field) {
      byte[] raw = Proxy.raw(request, field);
      return raw == null ? null : Buffer.buffer(raw);
    }

    String text(String field) {
      return request.path(field).asText("");
    }
  }

  private HookCaller(Vertx vertx, long timeoutMs, Function<Call, Future<ObjectNode>> hook) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.hook = hook;
  }

  static HookCaller connect(Vertx vertx, long timeoutMs, ConnectHook hook) {
    return new HookCaller(vertx, timeoutMs, c -> hook.connect(new ConnectEvent(c.client(), c.text("name"),
        c.text("version"), c.payload("data"))).map(r -> {
          ObjectNode out = JsonCodec.object().put("user", r.user() == null ? "" : r.user());
          if (r.expireAt() > 0) {
            out.put("expire_at", r.expireAt());
          }
          putBytes(out, "info", r.info());
          putBytes(out, "data", r.data());
          r.channels().forEach(out.putArray("channels")::add);
          return out;
        }));
  }

  static HookCaller subscribe(Vertx vertx, long timeoutMs, SubscribeHook hook) {
    return new HookCaller(vertx, timeoutMs, c -> hook.subscribe(new SubscribeEvent(c.client(), c.text("channel"),
        c.payload("data"))).map(r -> {
          ObjectNode out = JsonCodec.object();
          if (r != null) {
            if (r.expireAt() > 0) {
              out.put("expire_at", r.expireAt());
            }
            putBytes(out, "info", r.info());
            putBytes(out, "data", r.data());
          }
          return out;
        }));
  }

  static HookCaller publish(Vertx vertx, long timeoutMs, PublishHook hook) {
    return new HookCaller(vertx, timeoutMs, c -> hook.publish(new PublishEvent(c.client(), c.text("channel"),
        c.payload("data"))).map(r -> {
          ObjectNode out = JsonCodec.object();
          if (r != null) {
            putBytes(out, "data", r.data());
            if (r.skipHistory()) {
              out.put("skip_history", true);
            }
          }
          return out;
        }));
  }

  static HookCaller rpc(Vertx vertx, long timeoutMs, RpcHook hook) {
    return new HookCaller(vertx, timeoutMs, c -> hook.rpc(new RpcEvent(c.client(), c.text("method"),
        c.payload("data"))).map(data -> {
          ObjectNode out = JsonCodec.object();
          putBytes(out, "data", data);
          return out;
        }));
  }

  /** Payloads travel as {@code b64<field>}: binary-safe, and read back to the same bytes. */
  private static void putBytes(ObjectNode out, String field, Buffer value) {
    if (value != null) {
      out.put("b64" + field, Base64.getEncoder().encodeToString(value.getBytes()));
    }
  }

  @Override
  public Future<JsonNode> call(ObjectNode request, MultiMap headers) {
    throw new UnsupportedOperationException("a hook is called for a client");
  }

  @Override
  public Future<JsonNode> call(ProxyClient client, ObjectNode request, MultiMap headers) {
    ClientContext context = new ClientContext(client.id(), client.user(), client.transportName(),
        client.protocol(), client.requestHeaders(), client.emulatedHeaders());
    Promise<JsonNode> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> answer.tryFail("hook timed out after " + timeoutMs + " ms"));
    Future<ObjectNode> decided;
    try {
      decided = hook.apply(new Call(context, request));
      if (decided == null) {
        decided = Future.failedFuture("the hook returned no future");
      }
    } catch (RuntimeException e) {
      decided = Future.failedFuture(e);
    }
    decided.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        answer.tryComplete(JsonCodec.object().set("result", ar.result()));
      } else if (ar.cause() instanceof ClientError.Exception e) {
        answer.tryComplete(JsonCodec.object().set("error", JsonCodec.object().put("code", e.error().code())
            .put("message", e.error().message()).put("temporary", e.error().temporary())));
      } else if (ar.cause() instanceof Disconnect.Exception d) {
        answer.tryComplete(JsonCodec.object().set("disconnect", JsonCodec.object()
            .put("code", d.disconnect().code()).put("reason", d.disconnect().reason())));
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future();
  }
}
