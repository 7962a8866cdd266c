package io.rotor.hub;

import io.rotor.core.Publication;
import io.rotor.client.Client;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local subscribers of one event loop. Connections are spread over several event loops; each
 * has its own Hub, touched only from its context, so fan-out needs no locks: the node hands a
 * publication (encoded once) to each Hub that has the channel, and the Hub writes it to its clients.
 * The Hub also batches writes: every client written during one event-loop turn is flushed once,
 * as one transport frame, at the end of the turn.
 */
public final class Hub {

  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  private final Context context;
  /**
   * Subscribers per channel as arrays replaced on every change: fan-out iterates one without a copy
   * per publication, and a client that unsubscribes while handling one does not disturb the loop.
   */
  private final Map<String, Client[]> subscribers = new HashMap<>();
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
    Client[] list = subscribers.get(channel);
    if (list == null) {
      subscribers.put(channel, new Client[] {client});
      channels.add(channel);
      return true;
    }
    Client[] more = Arrays.copyOf(list, list.length + 1);
    more[list.length] = client;
    subscribers.put(channel, more);
    return false;
  }

  /** Removes a subscriber; returns true when it was the last one of the channel in this Hub. */
  public boolean removeSubscriber(String channel, Client client) {
    Client[] list = subscribers.get(channel);
    int i = list == null ? -1 : indexOf(list, client);
    if (i < 0) {
      return false;
    }
    if (list.length == 1) {
      subscribers.remove(channel);
      channels.remove(channel);
      return true;
    }
    Client[] fewer = new Client[list.length - 1];
    System.arraycopy(list, 0, fewer, 0, i);
    System.arraycopy(list, i + 1, fewer, i, list.length - i - 1);
    subscribers.put(channel, fewer);
    return false;
  }

  private static int indexOf(Client[] list, Client client) {
    for (int i = 0; i < list.length; i++) {
      if (list[i] == client) {
        return i;
      }
    }
    return -1;
  }

  /** Called on this Hub's context. */
  public void deliver(String channel, Publication publication, byte[] frame) {
    Client[] list = subscribers.get(channel);
    if (list == null) {
      return;
    }
    for (Client c : list) {
      c.deliverPublication(channel, publication, frame);
    }
  }

  /** Called on this Hub's context; only subscribers that asked for join/leave get it. */
  public void deliverJoinLeave(String channel, byte[] frame) {
    Client[] list = subscribers.get(channel);
    if (list == null) {
      return;
    }
    for (Client c : list) {
      c.deliverJoinLeave(channel, frame);
    }
  }

  /** Called on this Hub's context: subscribers behind the stream top recover (position check). */
  public void checkPosition(String channel, io.rotor.core.StreamPosition top) {
    Client[] list = subscribers.get(channel); // replaced, never mutated: safe while clients leave
    if (list == null) {
      return;
    }
    for (Client c : list) {
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
      try {
        c.flush();
      } catch (RuntimeException e) {
        // One connection's failure must not leave the rest of the batch unflushed until the next message.
        LOG.warn("flush failed for client {}", c.id(), e);
      }
    }
  }

  public int numChannels() {
    return channels.size();
  }
}
