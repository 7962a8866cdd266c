package io.rotor.broker;

import io.rotor.core.ClientInfo;

import io.rotor.core.Publication;

/** Callbacks from a broker into the node: what arrives from the channel fan-out. */
public interface BrokerEventHandler {

  void onPublication(String channel, Publication publication);

  void onJoin(String channel, ClientInfo info);

  void onLeave(String channel, ClientInfo info);
}
