package io.rotor.hub;

import io.rotor.broker.Publication;
import io.rotor.client.Client;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local subscribers of one event loop. Connections are spread over several event loops; each
 * has its own Hub, touched only from its context, so fan-out needs no locks: the node hands a
 * publication (encoded once) to each Hub that has the channel, and the Hub writes it to its clients.
 * The Hub also batches writes: every client written during one event-loop turn is flushed once,
 * as one transport frame, at the end of the turn.
 */
public final class Hub {

  private final Context context;
  private final Map<String, List<Client>> subscribers = new HashMap<>();
  /** Channel names with subscribers here; read by other threads to skip Hubs without the channel. */
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private ArrayList<Client> dirty = new ArrayList<>();
  private boolean flushScheduled;

  public Hub(Context context) {
    this.context = context;
  }

  public Context context() {
    return context;
  }

  public boolean hasChannel(String channel) {
    return channels.contains(channel);
  }

  /** Adds a subscriber; returns true when it is the first one of the channel in this Hub. */
  public boolean addSubscriber(String channel, Client client) {
    List<Client> list = subscribers.computeIfAbsent(channel, c -> new ArrayList<>(4));
    list.add(client);
    if (list.size() == 1) {
      channels.add(channel);
      return true;
    }
    return false;
  }

  /** Removes a subscriber; returns true when it was the last one of the channel in this Hub. */
  public boolean removeSubscriber(String channel, Client client) {
    List<Client> list = subscribers.get(channel);
    if (list == null || !list.remove(client)) {
      return false;
    }
    if (list.isEmpty()) {
      subscribers.remove(channel);
      channels.remove(channel);
      return true;
    }
    return false;
  }

  /** Called on this Hub's context. */
  public void deliver(String channel, Publication publication, byte[] frame) {
    List<Client> list = subscribers.get(channel);
    if (list == null) {
      return;
    }
    // A client may unsubscribe itself while handling (insufficient state): iterate a snapshot.
    Client[] snapshot = list.toArray(new Client[0]);
    for (Client c : snapshot) {
      c.deliverPublication(channel, publication, frame);
    }
  }

  /** Called on this Hub's context; only subscribers that asked for join/leave get it. */
  public void deliverJoinLeave(String channel, byte[] frame) {
    List<Client> list = subscribers.get(channel);
    if (list == null) {
      return;
    }
    for (Client c : list.toArray(new Client[0])) {
      c.deliverJoinLeave(channel, frame);
    }
  }

  /** Called on this Hub's context: subscribers behind the stream top recover (position check). */
  public void checkPosition(String channel, io.rotor.broker.StreamPosition top) {
    List<Client> list = subscribers.get(channel);
    if (list == null) {
      return;
    }
    for (Client c : list.toArray(new Client[0])) {
      c.checkPosition(channel, top);
    }
  }

  /** Queues a client for the end-of-turn flush. Called on this Hub's context. */
  public void scheduleFlush(Client client) {
    dirty.add(client);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    ArrayList<Client> batch = dirty;
    dirty = new ArrayList<>(Math.max(4, batch.size()));
    flushScheduled = false;
    for (Client c : batch) {
      c.flush();
    }
  }

  public int numChannels() {
    return channels.size();
  }
}
