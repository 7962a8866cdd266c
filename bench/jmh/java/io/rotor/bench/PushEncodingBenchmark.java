package io.rotor.bench;

import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.rotor.protocol.JsonCodec;
import java.nio.charset.StandardCharsets;
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

/** The fan-out frame of one publication, encoded once per fan-out (S1's per-publish cost). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PushEncodingBenchmark {

  private final byte[] data = "{\"t\":1732377600000.123,\"s\":42,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"
      .getBytes(StandardCharsets.UTF_8);
  private final Publication plain = new Publication(0, null, data, null, Map.of(), 0);
  private final Publication positioned = new Publication(12345, "kXeWqzHa", data,
      new ClientInfo("user-42", "7f3c2a9e-0d1b-4c8e-9f6a-5b4d3c2e1f0a", null, null), Map.of(), 0);

  @Benchmark
  public byte[] plainPublication() {
    return JsonCodec.publicationPush("bench", plain);
  }

  @Benchmark
  public byte[] positionedWithInfo() {
    return JsonCodec.publicationPush("chat:room-1", positioned);
  }
}
