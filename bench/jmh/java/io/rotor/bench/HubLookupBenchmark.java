package io.rotor.bench;

import io.rotor.hub.Hub;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Hub's channel lookups: {@code hasChannel} runs on the publishing thread for every Hub and
 * publication (S3: 10,000 personal channels), add/remove on every subscribe and unsubscribe (S4).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HubLookupBenchmark {

  @Param({"10000"})
  int channels;

  private Hub hub;
  private String[] names;
  private int next;

  @Setup
  public void setup() {
    hub = new Hub(null);
    names = new String[channels];
    for (int i = 0; i < channels; i++) {
      names[i] = "p" + i;
      hub.addSubscriber(names[i], null);
    }
  }

  @Benchmark
  public boolean hasChannel() {
    next = (next + 1) % channels;
    return hub.hasChannel(names[next]);
  }

  @Benchmark
  public boolean subscribeUnsubscribe() {
    String name = names[next = (next + 1) % channels];
    hub.addSubscriber(name, null);
    return hub.removeSubscriber(name, null);
  }
}
