package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource(delimiter = '|', value = {
      "0            | 0",
      "+0           | 0",
      "0s           | 0",
      "300ms        | 300000000",
      "25s          | 25000000000",
      "1m30s        | 90000000000",
      "720h         | 2592000000000000",
      "1.5h         | 5400000000000",
      "0.1s         | 100000000",
      ".5s          | 500000000",
      "1.s          | 1000000000",
      "+5s          | 5000000000",
      "10us         | 10000",
      "10µs         | 10000",
      "10μs         | 10000",
      "7ns          | 7",
      "1.5ns        | 1",
      "1h2m3s4ms5us6ns | 3723004005006",
      "'  25s  '    | 25000000000",
  })
  void parsesGoDurations(String text, long nanos) {
    assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"", " ", "abc", "25", "1x", "s", "-1s", "-0", "1.2.3s", "1h-5m", ".s", "1e3s", "1 s",
      "3000000h"})
  void rejectsGarbageAndNegatives(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("duration"), e.getMessage());
  }

  @Test
  void explainsWhy() {
    assertTrue(Durations.parse("5s").equals(Duration.ofSeconds(5)));
    assertTrue(message("25").contains("missing unit"));
    assertTrue(message("5d").contains("unknown unit \"d\""));
    assertTrue(message("-5s").contains("negative"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
  }

  private static String message(String text) {
    return assertThrows(IllegalArgumentException.class, () -> Durations.parse(text)).getMessage();
  }

  @ParameterizedTest(name = "{0} ns formats as {1}")
  @CsvSource(delimiter = '|', value = {
      "0                | 0s",
      "300000000        | 300ms",
      "25000000000      | 25s",
      "90000000000      | 1m30s",
      "2592000000000000 | 720h",
      "5400000000000    | 1h30m",
      "1500000000       | 1s500ms",
      "1000             | 1us",
      "3723004005006    | 1h2m3s4ms5us6ns",
  })
  void formatsAndReadsBack(long nanos, String text) {
    Duration d = Duration.ofNanos(nanos);
    assertEquals(text, Durations.format(d));
    assertEquals(d, Durations.parse(Durations.format(d)));
  }
}
