package io.rotor.transport.emulation;

import io.rotor.node.Node;
import io.vertx.core.Future;

/**
 * Takes an {@code /emulation} request to the node whose stream owns the session. The request names
 * that node (the {@code node} the connect reply gave the client), so no sticky balancing is needed
 * once routing crosses nodes: a clustered router sends requests for another node's id over the
 * event bus to that node, which calls {@link EmulationSessions#deliver}. {@link #local} knows only
 * this node.
 */
public interface EmulationRouter {

  /** Completes with false when the node or the session is unknown. */
  Future<Boolean> route(String nodeId, String session, String frame);

  static EmulationRouter local(Node node, EmulationSessions sessions) {
    return (nodeId, session, frame) -> Future.succeededFuture(node.id().equals(nodeId) && sessions.deliver(session, frame));
  }
}
