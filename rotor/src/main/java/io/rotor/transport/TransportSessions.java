package io.rotor.transport;

import io.rotor.transport.emulation.EmulationSessions;
import io.rotor.transport.sockjs.SockJsSessions;

/**
 * The per-node registries that every event loop's transports share: open emulation streams, open
 * SockJS sessions, and the routes to sessions on other nodes. Built once where the server is
 * assembled and handed to each connection verticle (and to the cluster's session routing).
 */
public record TransportSessions(SessionRoutes routes, SockJsSessions sockJs, EmulationSessions emulation) {

  public static TransportSessions create() {
    return new TransportSessions(new SessionRoutes(), new SockJsSessions(), new EmulationSessions());
  }
}
