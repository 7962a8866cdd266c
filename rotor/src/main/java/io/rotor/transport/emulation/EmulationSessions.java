package io.rotor.transport.emulation;

import io.rotor.client.Client;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open emulation streams of one node, by session id. Every event loop's endpoints share it: a
 * stream lives on one loop while its {@code /emulation} requests may arrive on any.
 */
public final class EmulationSessions {

  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  public void add(String session, Client client) {
    clients.put(session, client);
  }

  public void remove(String session) {
    clients.remove(session);
  }

  public int size() {
    return clients.size();
  }

  /**
   * Feeds a command frame to the session's client on the client's own event loop, decoded by the
   * client's wire (the stream's encoding). False when no such session is open here. A remote
   * node's router calls this for requests it forwards.
   */
  public boolean deliver(String session, byte[] frame) {
    Client client = clients.get(session);
    if (client == null) {
      return false;
    }
    client.context().runOnContext(v -> client.onFrame(frame));
    return true;
  }
}
