package io.rotor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A control for event-loop lag figures on a shared machine: a separate, idle JVM whose only thread
 * sleeps {@value #INTERVAL_MS} ms at a time and measures how late it wakes. It does no work, so its
 * lateness is the machine's (CPU starvation by other processes), not its own. A node's event loop
 * late by 2 s while this probe is late by 2 s too is a starved machine, not a stalled node.
 */
public final class MachineLag implements AutoCloseable {

  static final long INTERVAL_MS = 20;

  private final Process process;
  /** [time ms, the probe's largest lateness in that second, in ms]. */
  private final List<long[]> seconds = new ArrayList<>();

  private MachineLag(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("lag ")) {
            synchronized (seconds) {
              seconds.add(new long[] {System.currentTimeMillis(), Long.parseLong(line.substring(4).trim())});
            }
          }
        }
      } catch (IOException | NumberFormatException ignored) {
        // the probe ended
      }
    }, "machine-lag");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the probe process (a small heap and the serial collector: it allocates next to nothing). */
  public static MachineLag start() throws IOException {
    return new MachineLag(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx16m", "-XX:+UseSerialGC", "-cp", NodeProcess.classPath(), MachineLag.class.getName())
        .redirectErrorStream(true).start());
  }

  /** The probe's largest lateness (ms) reported between the two times. */
  public long maxBetween(long fromMs, long toMs) {
    synchronized (seconds) {
      return seconds.stream().filter(s -> s[0] >= fromMs && s[0] <= toMs + 1000).mapToLong(s -> s[1]).max().orElse(0);
    }
  }

  /** Seconds between the two times in which the probe woke at least {@code ms} late. */
  public long secondsLateBy(long ms, long fromMs, long toMs) {
    synchronized (seconds) {
      return seconds.stream().filter(s -> s[0] >= fromMs && s[0] <= toMs + 1000 && s[1] >= ms).count();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** The probe: once a second, prints {@code lag <ms>}, the largest lateness of that second. */
  public static void main(String[] args) throws InterruptedException {
    long max = 0;
    long next = System.nanoTime() + 1_000_000_000L;
    while (true) {
      long due = System.nanoTime() + INTERVAL_MS * 1_000_000;
      Thread.sleep(INTERVAL_MS); // the measurement: how late the sleep ends
      long now = System.nanoTime();
      max = Math.max(max, (now - due) / 1_000_000);
      if (now >= next) {
        System.out.println("lag " + max);
        System.out.flush();
        max = 0;
        next = now + 1_000_000_000L;
      }
    }
  }
}
