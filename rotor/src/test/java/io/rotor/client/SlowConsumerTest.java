package io.rotor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.LightSubscriber;
import io.rotor.testing.NodeProcess;
import io.rotor.testing.ProcessCluster;
import io.rotor.testing.RawClient;
import io.rotor.testing.StalledClient;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slow consumer isolation at scale (torture case 7): a node JVM of its own fans a channel out to
 * many WebSocket subscribers while the HTTP API publishes 1 KiB publications at a steady rate, each
 * stamped with the time it was sent. Rounds alternate a baseline phase with a phase in which one
 * more subscriber stops reading (its kernel buffers fill, the node's write queue backs up) until
 * the node cuts it with 3008. The others' delivery latency (receive − send, HdrHistogram) in the
 * two kinds of phase is compared by the medians of the per-phase p99s, so one noisy moment of the
 * shared machine does not decide; the node's heap (jstat samples, and the live heap after a full
 * collection at each phase's end) must stay bounded; no other subscriber may miss a publication.
 *
 * <p>Scale by system properties: {@code rotor.slow.subscribers}, {@code rotor.slow.rate} (publications
 * per second), {@code rotor.slow.rounds}.
 */
@Tag("slow")
@Tag("torture")
class SlowConsumerTest {

  private static final int SUBSCRIBERS = Integer.getInteger("rotor.slow.subscribers", 100);
  private static final int RATE = Integer.getInteger("rotor.slow.rate", 200);
  private static final int ROUNDS = Integer.getInteger("rotor.slow.rounds", 4);
  private static final int PAYLOAD = 1024;
  /** Latency is compared per window of this length, the same in both kinds of phase. */
  private static final long WINDOW_MS = 5_000;
  private static final int BASELINE_WINDOWS = 3;
  private static final long SETTLE_MS = 2_000;
  /** client.queue_max_size: the default, 1 MiB. */
  private static final int QUEUE_MAX = 1 << 20;
  private static final String CHANNEL = "slow:fan";
  /** The live heap after a slow round may exceed the baseline rounds' largest by at most this (MiB). */
  private static final double LIVE_HEAP_SLACK_MB = 16;

  @Test
  void aStalledSubscriberIsCutWithoutHarmToTheOthers() throws Exception {
    int port = ProcessCluster.freePort();
    String config = RawClient.config("{\"http_server\": {\"port\": " + port + "}, \"prometheus\": {\"enabled\": true},"
        // Pings far apart: a stalled client would otherwise be closed for not answering one (3012)
        // before its queue fills at the lower rates this shared machine holds.
        + " \"client\": {\"queue_max_size\": " + QUEUE_MAX + ", \"ping_interval\": \"600s\", \"pong_timeout\": \"8s\"},"
        + " \"channel\": {\"namespaces\": [{\"name\": \"slow\", \"history_size\": 100, \"history_ttl\": \"60s\","
        + " \"force_recovery\": true, \"allow_subscribe_for_client\": true}]}}");
    Path dir = Files.createTempDirectory("rotor-slow");
    Vertx vertx = Vertx.vertx();
    Vertx pubVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    List<LightSubscriber> subscribers = new ArrayList<>();
    try (NodeProcess node = NodeProcess.start(config, port, dir); HeapSampler heap = new HeapSampler(node.process().pid())) {
      node.awaitReady(port, 120);
      Recorder latency = new Recorder(3);
      LightSubscriber.Values values = new LightSubscriber.Values(RATE * 600);
      WebSocketClient ws = LightSubscriber.client(vertx);
      subscribers.addAll(LightSubscriber.startSpread(vertx, ws, CHANNEL, List.of(port), SUBSCRIBERS, values,
          micros -> latency.recordValue(Math.max(0, micros))));
      for (LightSubscriber s : subscribers) {
        assertEquals(0, s.last(), "subscribed before the first publication");
      }
      String token = RawClient.token("stalled");

      Publisher publisher = new Publisher(pubVertx, port).start();
      Thread.sleep(5_000); // warm-up at full rate: the JITs of both JVMs, unmeasured
      long live0 = heap.liveHeapKb();
      List<Double> baseP99 = new ArrayList<>();
      List<Double> slowP99 = new ArrayList<>();
      List<Long> liveAfterBase = new ArrayList<>(List.of(live0));
      List<Long> liveAfterSlow = new ArrayList<>();
      List<Long> cutAfterMs = new ArrayList<>();
      List<Integer> closeCodes = new ArrayList<>();
      List<Integer> cutsPerSlowPhase = new ArrayList<>();
      List<Integer> cutsPerBaseline = new ArrayList<>();
      List<String> rates = new ArrayList<>();
      Histogram baseAll = new Histogram(3);
      Histogram slowAll = new Histogram(3);
      long baselinePeakKb = 0;
      long slowPeakKb = 0;
      for (int round = 0; round <= ROUNDS; round++) {
        // Baseline phase (one more than the slow ones, so each slow phase sits between two).
        Thread.sleep(SETTLE_MS);
        double cutsBefore = Metrics.disconnects(port, 3008);
        heap.resetPeak();
        latency.getIntervalHistogram();
        int pubs0 = publisher.acked.get();
        for (int w = 0; w < BASELINE_WINDOWS; w++) {
          Thread.sleep(WINDOW_MS);
          Histogram b = latency.getIntervalHistogram();
          baseP99.add(b.getValueAtPercentile(99) / 1000.0);
          baseAll.add(b);
        }
        rates.add(String.format("%.0f", (publisher.acked.get() - pubs0) * 1000.0 / (BASELINE_WINDOWS * WINDOW_MS)));
        baselinePeakKb = Math.max(baselinePeakKb, heap.peakKb());
        liveAfterBase.add(heap.liveHeapKb());
        cutsPerBaseline.add((int) (Metrics.disconnects(port, 3008) - cutsBefore));
        if (round == ROUNDS) {
          break;
        }
        // Slow phase: one more subscriber stops reading, from then until the node cuts it.
        Thread.sleep(SETTLE_MS);
        double cut0 = Metrics.disconnects(port, 3008);
        try (StalledClient stalled = StalledClient.subscribe(port, CHANNEL, token)) {
          heap.resetPeak();
          latency.getIntervalHistogram();
          long t0 = System.currentTimeMillis();
          long window0 = t0;
          while (Metrics.disconnects(port, 3008) < cut0 + 1) {
            assertTrue(System.currentTimeMillis() - t0 < 120_000, "the stalled client was not cut within 120 s");
            Thread.sleep(100); // the cut is the node's decision, seen only through its metrics
            if (System.currentTimeMillis() - window0 >= WINDOW_MS) {
              Histogram w = latency.getIntervalHistogram();
              slowP99.add(w.getValueAtPercentile(99) / 1000.0);
              slowAll.add(w);
              window0 = System.currentTimeMillis();
            }
          }
          cutAfterMs.add(System.currentTimeMillis() - t0);
          Histogram w = latency.getIntervalHistogram();
          if (System.currentTimeMillis() - window0 >= WINDOW_MS / 2) {
            slowP99.add(w.getValueAtPercentile(99) / 1000.0); // a short last window would weigh as much as a full one
          }
          slowAll.add(w);
          slowPeakKb = Math.max(slowPeakKb, heap.peakKb());
          StalledClient.Drained d = stalled.drain();
          closeCodes.add(d.closeCode());
        }
        cutsPerSlowPhase.add((int) (Metrics.disconnects(port, 3008) - cut0));
        liveAfterSlow.add(heap.liveHeapKb());
      }
      publisher.stop();
      long top = publisher.top.get();

      // Nobody but the stalled clients lost anything: every other subscriber has every offset once, in order.
      long deadline = System.currentTimeMillis() + 30_000;
      while (subscribers.stream().anyMatch(s -> s.last() < top) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50); // the last deliveries are on their way; no event marks "all arrived"
      }
      subscribers.stream().filter(s -> !s.violations.isEmpty() || s.connections.get() != 1).limit(3).forEach(s ->
          System.out.println("SLOW CONSUMER: subscriber " + s.index + " at " + s.last() + " of " + top + ", connections "
              + s.connections + ", close codes " + s.closeCodes + ", violations " + s.violations.stream().limit(3).toList()));
      long incomplete = subscribers.stream().filter(s -> s.last() != top || !s.violations.isEmpty()
          || s.received.get() != top || s.connections.get() != 1).count();
      double baseMedian = median(baseP99);
      double slowMedian = median(slowP99);
      // Noise floor: how far the baseline windows' p99s of this run lie from their median (the median
      // of the relative deviations, so one hiccup of the shared machine does not set it).
      double noise = median(baseP99.stream().map(x -> Math.abs(x - baseMedian) / baseMedian).toList());
      double allowed = Math.max(0.10, noise);
      System.out.printf("SLOW CONSUMER: %d subscribers, %d publications/s offered (%s/s acknowledged per baseline"
              + " phase) x %d B, %d rounds; stalled clients cut after %s ms with close codes %s; others' p99 ms per"
              + " %d s window: baseline %s (median %.1f, p50 %.1f, p99.9 %.1f), with a stalled client %s (median %.1f, p50 %.1f,"
              + " p99.9 %.1f): %+.1f%%, baseline noise %.1f%%, allowed %.1f%%; node heap used peak %.1f MB baseline,"
              + " %.1f MB while stalled; live heap after full GC: baseline %s MB, after each cut %s MB;"
              + " publications %d (failed %d), incomplete subscribers %d; 3008 cuts per baseline phase %s, per"
              + " stalled phase %s%n",
          SUBSCRIBERS, RATE, rates, PAYLOAD, ROUNDS, cutAfterMs, closeCodes, WINDOW_MS / 1000, baseP99, baseMedian,
          baseAll.getValueAtPercentile(50) / 1000.0, baseAll.getValueAtPercentile(99.9) / 1000.0, slowP99, slowMedian,
          slowAll.getValueAtPercentile(50) / 1000.0, slowAll.getValueAtPercentile(99.9) / 1000.0,
          (slowMedian / baseMedian - 1) * 100, noise * 100, allowed * 100, baselinePeakKb / 1024.0,
          slowPeakKb / 1024.0, mb(liveAfterBase), mb(liveAfterSlow), top, publisher.failed.get(), incomplete,
          cutsPerBaseline, cutsPerSlowPhase);

      assertEquals(0, publisher.failed.get(), "every publication acknowledged");
      for (int cuts : cutsPerSlowPhase) {
        assertEquals(1, cuts, "exactly the stalled client was cut in each stalled phase: " + cutsPerSlowPhase);
      }
      for (LightSubscriber s : subscribers) {
        assertEquals(List.of(), s.violations, "subscriber " + s.index);
        assertEquals(top, s.last(), "subscriber " + s.index + " has every publication up to the top");
        assertEquals(top, s.received.get(), "subscriber " + s.index + " received each publication once");
        assertEquals(1, s.connections.get(), "subscriber " + s.index + " was never disconnected");
      }
      for (int code : closeCodes) {
        assertEquals(3008, code, "the stalled client's close frame: " + closeCodes);
      }
      long maxBase = liveAfterBase.stream().mapToLong(Long::longValue).max().orElseThrow();
      for (long kb : liveAfterSlow) {
        assertTrue(kb / 1024.0 <= maxBase / 1024.0 + LIVE_HEAP_SLACK_MB, "the live heap after a cut returns to the"
            + " baseline's: " + mb(liveAfterSlow) + " MB vs " + mb(liveAfterBase) + " MB");
      }
      // While stalled, the node holds at most queue_max_size queued plus the same in the socket's write queue.
      double peakBound = baselinePeakKb / 1024.0 + 2.0 * QUEUE_MAX / (1 << 20) + 32;
      assertTrue(slowPeakKb / 1024.0 <= peakBound, "heap in use while a client stalls: " + slowPeakKb / 1024
          + " MB, bound " + peakBound + " MB");
      assertTrue(slowMedian <= baseMedian * (1 + allowed), String.format("others' p99 with a stalled client %.1f ms"
          + " vs baseline %.1f ms: more than %.0f%% worse", slowMedian, baseMedian, allowed * 100));
    } finally {
      subscribers.forEach(LightSubscriber::stop);
      vertx.close().await(10, TimeUnit.SECONDS);
      pubVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String mb(List<Long> kbs) {
    return kbs.stream().map(kb -> String.format("%.1f", kb / 1024.0)).toList().toString();
  }

  /**
   * Publications through the HTTP API at a steady {@link #RATE}, paced by a timer thread, sent
   * asynchronously over a pool of connections so one slow answer does not hold the next back; each
   * carries its sequence number and the time it was sent.
   */
  private static final class Publisher {
    final AtomicInteger acked = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong top = new AtomicLong();
    private final HttpClient http;
    private final int port;
    private final String padding = "x".repeat(PAYLOAD - 60);
    private final Thread thread = new Thread(this::run, "publisher");
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;

    Publisher(Vertx vertx, int port) {
      this.port = port;
      this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
    }

    Publisher start() {
      thread.start();
      return this;
    }

    private void run() {
      long periodNanos = 1_000_000_000L / RATE;
      long next = System.nanoTime();
      int n = 0;
      while (running) {
        n++;
        String body = "{\"channel\":\"" + CHANNEL + "\",\"data\":{\"n\":" + n + ",\"t\":" + System.nanoTime() / 1000
            + ",\"p\":\"" + padding + "\"}}";
        inFlight.incrementAndGet();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/api/publish").putHeader("X-API-Key", TestNode.API_KEY))
            .compose(req -> req.send(Buffer.buffer(body)).compose(r -> r.body().map(b -> r.statusCode() == 200 ? b : null)))
            .onComplete(ar -> {
              inFlight.decrementAndGet();
              Matcher m = ar.succeeded() && ar.result() != null ? OFFSET.matcher(ar.result().toString()) : null;
              if (m != null && m.find()) {
                top.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
                acked.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            });
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait); // pacing the publisher, not synchronisation
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

    void stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
      long deadline = System.currentTimeMillis() + 30_000;
      while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20); // the last answers are on their way
      }
    }
  }

  /** The node's Prometheus counters. */
  private static final class Metrics {
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    static double disconnects(int port, int code) throws Exception {
      String text = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
          + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = Pattern.compile("(?m)^centrifugo_client_num_server_disconnects\\{code=\"" + code + "\",?\\} (\\S+)$").matcher(text);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
  }

  /**
   * The node JVM's heap: {@code jstat -gc} every 250 ms (heap in use, the peak since the last reset)
   * and, on demand, the live heap after a full collection ({@code jcmd GC.run}, {@code GC.heap_info}).
   */
  private static final class HeapSampler implements AutoCloseable {
    private final long pid;
    private final Process jstat;
    private final AtomicLong peakKb = new AtomicLong();

    HeapSampler(long pid) throws Exception {
      this.pid = pid;
      jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "250").redirectErrorStream(true).start();
      Thread reader = new Thread(this::read, "jstat");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
        List<String> header = null;
        String line;
        while ((line = r.readLine()) != null) {
          String[] cols = line.trim().split("\\s+");
          if (cols.length > 0 && cols[0].equals("S0C")) {
            header = Arrays.asList(cols);
          } else if (header != null && cols.length == header.size()) {
            double used = 0;
            for (String c : List.of("S0U", "S1U", "EU", "OU")) {
              used += Double.parseDouble(cols[header.indexOf(c)]);
            }
            long kb = (long) used;
            peakKb.accumulateAndGet(kb, Math::max);
          }
        }
      } catch (Exception e) {
        // the node ended
      }
    }

    void resetPeak() {
      peakKb.set(0);
    }

    long peakKb() {
      return peakKb.get();
    }

    /** Heap in use right after a full collection (KiB). */
    long liveHeapKb() throws Exception {
      run("GC.run");
      String info = run("GC.heap_info");
      Matcher m = Pattern.compile("(?m)^\\s*(def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K").matcher(info);
      long kb = 0;
      while (m.find()) {
        kb += Long.parseLong(m.group(2));
      }
      assertTrue(kb > 0, "heap info: " + info);
      return kb;
    }

    private String run(String command) throws Exception {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    }

    @Override
    public void close() {
      jstat.destroy();
    }
  }
}
