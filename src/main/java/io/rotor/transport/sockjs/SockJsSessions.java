package io.rotor.transport.sockjs;

import io.rotor.node.Node;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ids of the SockJS sessions open on this node, shared by every event loop's SockJS router, so
 * other nodes can ask whether this one holds a session. A session is added when Vert.x hands it to
 * the socket handler, which it does right after writing the open frame, before the client can send
 * its next request anywhere.
 */
public final class SockJsSessions implements Shareable {

  private static final String MAP = "rotor.sockjs.sessions";

  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private final LongAdder forwarded = new LongAdder();

  public static SockJsSessions of(Vertx vertx, Node node) {
    return vertx.sharedData().<String, SockJsSessions>getLocalMap(MAP).computeIfAbsent(node.id(), id -> new SockJsSessions());
  }

  void add(String session) {
    ids.add(session);
  }

  void remove(String session) {
    ids.remove(session);
  }

  public boolean holds(String session) {
    return ids.contains(session);
  }

  void countForwarded() {
    forwarded.increment();
  }

  /** Requests this node proxied to the node holding their session. */
  public long forwarded() {
    return forwarded.sum();
  }

  public int size() {
    return ids.size();
  }
}
