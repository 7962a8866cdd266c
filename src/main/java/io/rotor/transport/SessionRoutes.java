package io.rotor.transport;

import io.rotor.node.Node;
import io.rotor.transport.emulation.EmulationRouter;
import io.rotor.transport.sockjs.SockJsOwners;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/**
 * How this node's HTTP transports reach sessions that live on other nodes, so a plain round-robin
 * balancer works: {@code /emulation} requests naming another node, and SockJS requests for a session
 * another node holds. A single node knows no others; a cluster installs its routes here before the
 * connection verticles start (kept in a Vert.x local map, one per node, like the session registries).
 */
public final class SessionRoutes implements Shareable {

  private static final String MAP = "rotor.session.routes";

  private volatile EmulationRouter otherNodes = EmulationRouter.NOWHERE;
  private volatile SockJsOwners sockJsOwners = SockJsOwners.NONE;

  public static SessionRoutes of(Vertx vertx, Node node) {
    return vertx.sharedData().<String, SessionRoutes>getLocalMap(MAP).computeIfAbsent(node.id(), id -> new SessionRoutes());
  }

  /** Where {@code /emulation} requests for another node's id go. */
  public EmulationRouter emulation() {
    return otherNodes;
  }

  /** Who holds a SockJS session this node does not. */
  public SockJsOwners sockJsOwners() {
    return sockJsOwners;
  }

  public SessionRoutes install(EmulationRouter otherNodes, SockJsOwners sockJsOwners) {
    this.otherNodes = otherNodes;
    this.sockJsOwners = sockJsOwners;
    return this;
  }
}
