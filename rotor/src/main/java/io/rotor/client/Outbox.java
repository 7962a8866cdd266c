package io.rotor.client;

import io.rotor.core.Disconnect;
import io.rotor.hub.Hub;
import io.rotor.metrics.RotorMetrics;
import io.rotor.transport.Transport;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * One connection's outgoing messages: queued as they are produced and written once per event-loop
 * turn (the Hub calls {@link #flush} at the end of the turn), so everything of a turn leaves as one
 * transport write. Bounded by {@code client.queue_max_size} bytes: a peer that reads slower than
 * that is disconnected as slow (3008).
 */
final class Outbox implements Hub.Flushable {

  private final Transport transport;
  private final Hub hub;
  private final int maxBytes;
  private final RotorMetrics metrics;
  private final Consumer<Disconnect> close;
  private final String owner;

  private final ArrayList<byte[]> pending = new ArrayList<>();
  private int pendingBytes;
  private boolean scheduled;
  private boolean closed;

  /** {@code close} ends the connection when the queue overflows; {@code owner} names it in logs. */
  Outbox(Transport transport, Hub hub, int maxBytes, RotorMetrics metrics, Consumer<Disconnect> close, String owner) {
    this.transport = transport;
    this.hub = hub;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
    this.close = close;
    this.owner = owner;
  }

  /** Queues one encoded message; it leaves with everything else queued in this event-loop turn. */
  void enqueue(byte[] message) {
    if (closed || message == null) {
      return;
    }
    pending.add(message);
    pendingBytes += message.length;
    if (pendingBytes > maxBytes && !transport.writeQueueFull()) {
      // A burst filled the queue within one event-loop turn, but the peer keeps up: hand it over now
      // rather than waiting for the end-of-turn flush. Only a backed-up transport makes a client slow.
      flush();
    }
    if (pendingBytes > maxBytes) {
      close.accept(Disconnect.SLOW);
      return;
    }
    if (!scheduled) {
      scheduled = true;
      hub.scheduleFlush(this);
    }
  }

  /** Writes the queued messages. Called by the Hub at the end of a turn, and before a close. */
  @Override
  public void flush() {
    scheduled = false;
    if (pending.isEmpty() || closed) {
      return;
    }
    if (transport.writeQueueFull()) {
      // The peer reads slower than we write: keep queueing (bounded above) until it drains.
      transport.onDrain(() -> {
        if (!scheduled && !pending.isEmpty()) {
          scheduled = true;
          hub.scheduleFlush(this);
        }
      });
      return;
    }
    int bytes = pendingBytes;
    metrics.sent(transport.name(), pending.size(), bytes);
    try {
      // Transports frame the list at once and keep no reference to it.
      transport.write(pending, bytes);
    } finally {
      pending.clear();
      pendingBytes = 0;
    }
  }

  /** Drops what is queued; nothing is written from now on. */
  void close() {
    closed = true;
    pending.clear();
    pendingBytes = 0;
  }

  @Override
  public String toString() {
    return "client " + owner;
  }
}
