package io.rotor.broker;

import io.rotor.core.ClientInfo;

import io.rotor.core.Publication;

import io.vertx.core.Future;

/** Single-node broker: every event goes straight to this node's handler. */
public final class MemoryBroker implements Broker {

  private BrokerEventHandler handler;

  @Override
  public void setEventHandler(BrokerEventHandler handler) {
    this.handler = handler;
  }

  @Override
  public Future<Void> publish(String channel, Publication publication) {
    handler.onPublication(channel, publication);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> publishJoin(String channel, ClientInfo info) {
    handler.onJoin(channel, info);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> publishLeave(String channel, ClientInfo info) {
    handler.onLeave(channel, info);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> subscribe(String channel) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    return Future.succeededFuture();
  }
}
