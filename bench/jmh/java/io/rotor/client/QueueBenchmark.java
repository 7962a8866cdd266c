package io.rotor.client;

import io.rotor.broker.MemoryBroker;
import io.rotor.config.RotorOptions;
import io.rotor.history.HistorySequencer;
import io.rotor.history.MemoryHistoryStore;
import io.rotor.hub.Hub;
import io.rotor.node.Node;
import io.rotor.presence.MemoryPresenceStore;
import io.rotor.core.Disconnect;
import io.rotor.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A connection's outgoing queue: {@code messages} publications appended in one event-loop turn to
 * each of 100 clients, then the Hub's end-of-turn flush joins each client's queue into one frame.
 * The Hub's context is a stand-in that runs the flush when the benchmark says, on this thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueBenchmark {

  @Param({"1", "8"})
  int messages;

  private Vertx vertx;
  private final List<Handler<Void>> turnEnd = new ArrayList<>();
  private Client[] clients;
  private final byte[] frame = new byte[160];
  private Blackhole sink;

  @Setup(Level.Trial)
  public void setup(Blackhole bh) {
    sink = bh;
    vertx = Vertx.vertx();
    Node node = new Node(vertx, new RotorOptions(), new MemoryBroker(),
        new HistorySequencer(vertx.getOrCreateContext(), new MemoryHistoryStore(), new MemoryBroker()),
        new MemoryPresenceStore());
    Hub hub = new Hub(turnContext());
    clients = new Client[100];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new Client(node, hub, new Transport() {
        @Override public String name() { return "bench"; }
        @Override public void write(byte[] f) { sink.consume(f); }
        @Override public boolean writeQueueFull() { return false; }
        @Override public void onDrain(Runnable handler) { }
        @Override public void close(Disconnect disconnect) { }
      });
    }
  }

  @SuppressWarnings("unchecked")
  private Context turnContext() {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class}, (p, m, a) -> {
      if (m.getName().equals("runOnContext")) {
        turnEnd.add((Handler<Void>) a[0]);
        return null;
      }
      throw new UnsupportedOperationException(m.getName());
    });
  }

  /** Per delivery cost = score / (100 * messages). */
  @Benchmark
  public void appendAndFlush() {
    for (int m = 0; m < messages; m++) {
      for (Client c : clients) {
        c.enqueue(frame);
      }
    }
    for (Handler<Void> h : turnEnd) {
      h.handle(null);
    }
    turnEnd.clear();
  }

  @TearDown
  public void tearDown() {
    vertx.close();
  }
}
