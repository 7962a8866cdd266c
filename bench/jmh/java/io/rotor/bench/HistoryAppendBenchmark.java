package io.rotor.bench;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import io.rotor.history.HistoryOptions;
import io.rotor.history.MemoryHistoryStore;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Appending a publication to a channel's in-memory history stream (window of 100, full). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistoryAppendBenchmark {

  private final MemoryHistoryStore store = new MemoryHistoryStore();
  private final HistoryOptions options = new HistoryOptions(100, Duration.ofMinutes(5), Duration.ofHours(1));
  private final Publication pub = new Publication(0, null,
      "{\"text\":\"hello world, this is a 100-byte-ish payload\"}".getBytes(StandardCharsets.UTF_8), null, Map.of(), 0);

  @Benchmark
  public Future<StreamPosition> append() {
    return store.add("chat:room-1", pub, options);
  }
}
