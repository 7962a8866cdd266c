package io.rotor.transport.emulation;

import io.rotor.node.Node;
import io.vertx.core.Future;

/**
 * Takes an {@code /emulation} request to the node whose stream owns the session. The request names
 * that node (the {@code node} the connect reply gave the client), so no sticky balancing is needed
 * once routing crosses nodes: a clustered router sends requests for another node's id over the
 * event bus to that node, which calls {@link EmulationSessions#deliver}. {@link #local} knows only
 * this node; {@link #of} adds a router for the other nodes' ids.
 */
public interface EmulationRouter {

  /** Completes with false when the node or the session is unknown. */
  Future<Boolean> route(String nodeId, String session, byte[] frame);

  /** Knows no node at all (a single node's view of the others). */
  EmulationRouter NOWHERE = (nodeId, session, frame) -> Future.succeededFuture(false);

  static EmulationRouter local(Node node, EmulationSessions sessions) {
    return of(node, sessions, NOWHERE);
  }

  /** This node's sessions delivered here, requests for any other node id handed to {@code others}. */
  static EmulationRouter of(Node node, EmulationSessions sessions, EmulationRouter others) {
    return (nodeId, session, frame) -> node.id().equals(nodeId)
        ? Future.succeededFuture(sessions.deliver(session, frame))
        : others.route(nodeId, session, frame);
  }
}
