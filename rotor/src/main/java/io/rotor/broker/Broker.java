package io.rotor.broker;

import io.rotor.core.ClientInfo;

import io.rotor.core.Publication;

import io.vertx.core.Future;

/**
 * Fans channel events out to every node that has subscribers. A broker does not sequence: callers
 * must publish a channel's publications in offset order from one place (the history sequencer).
 */
public interface Broker {

  void setEventHandler(BrokerEventHandler handler);

  Future<Void> publish(String channel, Publication publication);

  Future<Void> publishJoin(String channel, ClientInfo info);

  Future<Void> publishLeave(String channel, ClientInfo info);

  /** The node has its first local subscriber on the channel. */
  Future<Void> subscribe(String channel);

  /** The node's last local subscriber on the channel left. */
  Future<Void> unsubscribe(String channel);
}
