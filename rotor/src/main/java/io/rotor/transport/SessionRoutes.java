package io.rotor.transport;

import io.rotor.transport.emulation.EmulationRouter;
import io.rotor.transport.sockjs.SockJsOwners;

/**
 * How this node's HTTP transports reach sessions that live on other nodes, so a plain round-robin
 * balancer works: {@code /emulation} requests naming another node, and SockJS requests for a session
 * another node holds. A single node knows no others; a cluster installs its routes here before the
 * connection verticles start.
 */
public final class SessionRoutes {

  private volatile EmulationRouter otherNodes = EmulationRouter.NOWHERE;
  private volatile SockJsOwners sockJsOwners = SockJsOwners.NONE;

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
