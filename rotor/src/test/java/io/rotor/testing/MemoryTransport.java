package io.rotor.testing;

import io.rotor.core.Disconnect;
import io.rotor.protocol.Wire;
import io.rotor.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport in memory for tests of the connection state machine without sockets (centrifuge tests
 * its client the same way): it records every message the Client writes, as the very arrays it was
 * given, and the disconnect it closed with. Can play a peer that stopped reading.
 */
public final class MemoryTransport implements Transport {

  private final Wire wire;
  private final String name;
  /** Every message written, in order, by identity (a shared encoding shows as the same array). */
  public final List<byte[]> messages = new ArrayList<>();
  /** How many writes (one per event-loop turn with something queued). */
  public int writes;
  public Disconnect closed;
  public boolean stalled;
  private Runnable drain;

  public MemoryTransport(Wire wire, String name) {
    this.wire = wire;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Wire wire() {
    return wire;
  }

  @Override
  public void write(List<byte[]> batch, int bytes) {
    writes++;
    messages.addAll(batch);
  }

  @Override
  public boolean writeQueueFull() {
    return stalled;
  }

  @Override
  public void onDrain(Runnable handler) {
    drain = handler;
  }

  /** The peer reads again. */
  public void resume() {
    stalled = false;
    if (drain != null) {
      Runnable d = drain;
      drain = null;
      d.run();
    }
  }

  @Override
  public boolean emulation() {
    return false;
  }

  @Override
  public void close(Disconnect disconnect) {
    closed = disconnect;
  }
}
