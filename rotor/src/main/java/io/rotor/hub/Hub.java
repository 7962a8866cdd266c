package io.rotor.hub;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.protocol.PreparedPush;
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
 * prepared push to each Hub that has the channel, and each subscriber takes the frame of its kind
 * from it (encoded once per kind for the whole fan-out). The Hub also batches writes: every
 * connection written during one event-loop turn is flushed once, as one transport frame, at the
 * end of the turn.
 */
public final class Hub {

  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

  /** What a Hub delivers to: one connection's subscriptions. */
  public interface Subscriber {

    void deliverPublication(String channel, Publication publication, PreparedPush push);

    void deliverJoinLeave(String channel, PreparedPush push);

    /** The periodic position check: the channel's stream top, read a grace period ago. */
    void checkPosition(String channel, StreamPosition top);
  }

  /** What a Hub flushes at the end of a turn: one connection's queued messages. */
  public interface Flushable {

    void flush();
  }

  private final Context context;
  /**
   * Subscribers per channel as arrays replaced on every change: fan-out iterates one without a copy
   * per publication, and a client that unsubscribes while handling one does not disturb the loop.
   */
  private final Map<String, Subscriber[]> subscribers = new HashMap<>();
  /** Channel names with subscribers here; read by other threads to skip Hubs without the channel. */
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private ArrayList<Flushable> dirty = new ArrayList<>();
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
  public boolean addSubscriber(String channel, Subscriber subscriber) {
    Subscriber[] list = subscribers.get(channel);
    if (list == null) {
      subscribers.put(channel, new Subscriber[] {subscriber});
      channels.add(channel);
      return true;
    }
    Subscriber[] more = Arrays.copyOf(list, list.length + 1);
    more[list.length] = subscriber;
    subscribers.put(channel, more);
    return false;
  }

  /** Removes a subscriber; returns true when it was the last one of the channel in this Hub. */
  public boolean removeSubscriber(String channel, Subscriber subscriber) {
    Subscriber[] list = subscribers.get(channel);
    int i = list == null ? -1 : indexOf(list, subscriber);
    if (i < 0) {
      return false;
    }
    if (list.length == 1) {
      subscribers.remove(channel);
      channels.remove(channel);
      return true;
    }
    Subscriber[] fewer = new Subscriber[list.length - 1];
    System.arraycopy(list, 0, fewer, 0, i);
    System.arraycopy(list, i + 1, fewer, i, list.length - i - 1);
    subscribers.put(channel, fewer);
    return false;
  }

  private static int indexOf(Subscriber[] list, Subscriber subscriber) {
    for (int i = 0; i < list.length; i++) {
      if (list[i] == subscriber) {
        return i;
      }
    }
    return -1;
  }

  /** Called on this Hub's context; returns how many subscribers it was handed to. */
  public int deliver(String channel, Publication publication, PreparedPush push) {
    Subscriber[] list = subscribers.get(channel);
    if (list == null) {
      return 0;
    }
    for (Subscriber s : list) {
      s.deliverPublication(channel, publication, push);
    }
    return list.length;
  }

  /** Called on this Hub's context; only subscribers that asked for join/leave get it. */
  public void deliverJoinLeave(String channel, PreparedPush push) {
    Subscriber[] list = subscribers.get(channel);
    if (list == null) {
      return;
    }
    for (Subscriber s : list) {
      s.deliverJoinLeave(channel, push);
    }
  }

  /** Called on this Hub's context: subscribers behind the stream top recover (position check). */
  public void checkPosition(String channel, StreamPosition top) {
    Subscriber[] list = subscribers.get(channel); // replaced, never mutated: safe while clients leave
    if (list == null) {
      return;
    }
    for (Subscriber s : list) {
      s.checkPosition(channel, top);
    }
  }

  /** Queues a connection for the end-of-turn flush. Called on this Hub's context. */
  public void scheduleFlush(Flushable connection) {
    dirty.add(connection);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    ArrayList<Flushable> batch = dirty;
    dirty = new ArrayList<>(Math.max(4, batch.size()));
    flushScheduled = false;
    for (Flushable c : batch) {
      try {
        c.flush();
      } catch (RuntimeException e) {
        // One connection's failure must not leave the rest of the batch unflushed until the next message.
        LOG.warn("flush failed for {}", c, e);
      }
    }
  }

  public int numChannels() {
    return channels.size();
  }
}
