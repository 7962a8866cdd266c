package io.rotor.transport.sockjs;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ids of the SockJS sessions open on this node, shared by every event loop's SockJS router, so
 * other nodes can ask whether this one holds a session. A session is added when Vert.x hands it to
 * the socket handler, which it does right after writing the open frame, before the client can send
 * its next request anywhere.
 */
public final class SockJsSessions {

  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  /** Sessions admitted with a connection slot (see {@link SockJsAdmission}), by id. */
  final Map<String, Boolean> admitted = new ConcurrentHashMap<>();
  private final LongAdder forwarded = new LongAdder();

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
