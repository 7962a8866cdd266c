package io.rotor.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.broker.BrokerEventHandler;
import io.rotor.core.ClientInfo;
import io.rotor.broker.MemoryBroker;
import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared recovery reads over the real memory store and sequencer: a burst of recoveries of one
 * channel costs a couple of store reads, each client gets exactly what its own read would have
 * returned, and a read that arrives while another runs is never served by that older read.
 */
class SharedReadsTest {

  private static final HistoryOptions OPTIONS = new HistoryOptions(1000, Duration.ofMinutes(5), Duration.ofHours(1));
  private static final String CHANNEL = "storm";

  private Vertx vertx;
  private MemoryHistoryStore memory;
  private SlowStore store;
  private HistorySequencer sequencer;
  private SharedReads shared;

  /** The memory store, answering reads 30 ms after taking their snapshot (as a Redis round trip would). */
  private final class SlowStore implements HistoryStore {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public Future<Appended> add(String channel, Publication publication, HistoryOptions options,
        PublishConditions conditions) {
      return memory.add(channel, publication, options, conditions);
    }

    @Override
    public Future<Appended> claim(String channel, PublishConditions conditions) {
      return memory.claim(channel, conditions);
    }

    @Override
    public Future<HistoryResult> read(String channel, HistoryFilter filter, HistoryOptions options) {
      reads.incrementAndGet();
      HistoryResult snapshot = memory.read(channel, filter, options).result();
      Promise<HistoryResult> later = Promise.promise();
      vertx.setTimer(30, t -> later.complete(snapshot));
      return later.future();
    }

    @Override
    public Future<Void> remove(String channel) {
      return memory.remove(channel);
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    memory = new MemoryHistoryStore();
    store = new SlowStore();
    MemoryBroker broker = new MemoryBroker();
    broker.setEventHandler(new BrokerEventHandler() { // no subscribers here: the fan-out has nobody to reach
      @Override
      public void onPublication(String channel, Publication publication) {
      }

      @Override
      public void onJoin(String channel, ClientInfo info) {
      }

      @Override
      public void onLeave(String channel, ClientInfo info) {
      }
    });
    sequencer = new HistorySequencer(vertx.getOrCreateContext(), store, broker);
    shared = new SharedReads(sequencer);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private StreamPosition publish(int n) throws Exception {
    StreamPosition last = null;
    for (int i = 0; i < n; i++) {
      Publication p = new Publication(0, "", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), null, Map.of(), 0);
      last = shared.publish(CHANNEL, p, OPTIONS).await(5, TimeUnit.SECONDS);
    }
    return last;
  }

  private static List<Long> offsets(HistoryResult r) {
    return r.publications().stream().map(Publication::offset).toList();
  }

  @Test
  void aBurstOfRecoveriesCostsAFewStoreReadsAndEachGetsItsOwnSlice() throws Exception {
    StreamPosition top = publish(300);
    List<HistoryFilter> filters = new ArrayList<>();
    List<Future<HistoryResult>> answers = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // Positions all over the stream, some limits shorter than the gap, a few top-only reads.
      HistoryFilter f = i % 50 == 0 ? HistoryFilter.topOnly()
          : new HistoryFilter(new StreamPosition((i * 7L) % 310, top.epoch()), i % 3 == 0 ? 20 : HistoryFilter.NO_LIMIT, false);
      filters.add(f);
      answers.add(shared.history(CHANNEL, f, OPTIONS));
    }
    Future.all(answers).await(10, TimeUnit.SECONDS);
    int sharedReads = store.reads.get();
    for (int i = 0; i < filters.size(); i++) {
      HistoryResult alone = memory.read(CHANNEL, filters.get(i), OPTIONS).result();
      HistoryResult got = answers.get(i).result();
      assertEquals(offsets(alone), offsets(got), "read " + i + " " + filters.get(i));
      assertEquals(alone.top(), got.top());
    }
    assertTrue(sharedReads <= 3, "500 reads of one channel cost " + sharedReads + " store reads");
    assertEquals(500, shared.counts()[1]);
  }

  @Test
  void aReadArrivingWhileAnotherRunsSeesWhatWasPublishedSince() throws Exception {
    StreamPosition top = publish(10);
    Future<HistoryResult> first = shared.history(CHANNEL, new HistoryFilter(new StreamPosition(5, top.epoch()), -1, false), OPTIONS);
    // The sequencer's context runs the first read (its snapshot) before this publication; then a read.
    StreamPosition eleventh = sequencer.publish(CHANNEL,
        new Publication(0, "", "{}".getBytes(StandardCharsets.UTF_8), null, Map.of(), 0), OPTIONS).await(5, TimeUnit.SECONDS);
    Future<HistoryResult> second = shared.history(CHANNEL, new HistoryFilter(new StreamPosition(5, top.epoch()), -1, false), OPTIONS);
    HistoryResult a = first.await(5, TimeUnit.SECONDS);
    HistoryResult b = second.await(5, TimeUnit.SECONDS);
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), offsets(a));
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L, 11L), offsets(b));
    assertEquals(eleventh, b.top());
    assertEquals(2, store.reads.get());
  }

  @Test
  void reverseReadsAndPlainHistoryGoStraightThrough() throws Exception {
    StreamPosition top = publish(5);
    HistoryResult rev = shared.history(CHANNEL, new HistoryFilter(null, 2, true), OPTIONS).await(5, TimeUnit.SECONDS);
    HistoryResult all = shared.history(CHANNEL, new HistoryFilter(null, -1, false), OPTIONS).await(5, TimeUnit.SECONDS);
    assertEquals(List.of(5L, 4L), offsets(rev));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets(all));
    assertEquals(top, all.top());
    assertEquals(0, shared.counts()[1]);
  }
}
