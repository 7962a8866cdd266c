package io.rotor.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Messages between the nodes of one deployment, whatever carries them: the clustered event bus
 * ({@link Cluster}) or Redis PUB/SUB ({@code io.rotor.redis.RedisNodes}). What acts on every node
 * (the server API, SockJS and emulation routing) is written once against this.
 */
public interface NodeMesh {

  String selfId();

  /** The nodes known to be alive now, this one included. */
  List<String> memberIds();

  /** The other nodes known to be alive now. */
  List<String> otherIds();

  /** Handles an op; register every op before the mesh starts. */
  void on(String op, Handler<NodeMessage> handler);

  /**
   * A request to one node; fails with the {@code ClientError} the other node answered, or 100.
   * Completes on the caller's context.
   */
  Future<Buffer> request(String node, String op, Buffer body);

  /** A one-way message to one node (at most once). */
  void send(String node, String op, Buffer body);

  /** Messages this node sent to other nodes so far, by op (requests and one-way sends; replies not counted). */
  java.util.Map<String, Long> sentCounts();

  /** One message from another node, answered at most once. */
  interface NodeMessage {
    Buffer body();

    void reply(Buffer body);

    void fail(int code, String message);
  }
}
