package io.rotor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The check after a fault that may lose acknowledged publications (a Redis failover: replication is
 * asynchronous), which tells the two kinds of loss apart:
 *
 * <ul>
 *   <li>a <b>silent gap</b>: a subscriber that misses a publication it was never told about (an
 *       offset skipped within one epoch, two values at one position, publications out of order).
 *       Always a failure.</li>
 *   <li>an <b>honest "not recovered"</b>: the stream lost publications, its epoch changed, and each
 *       subscriber that lacked something was answered {@code recovered: false}. Counted and
 *       reported, with how many acknowledged publications the stream lost.</li>
 * </ul>
 *
 * It waits until every subscriber holds the stream's final top, reads the whole stream through the
 * API, and requires every subscriber that lacks an acknowledged publication still in the stream to
 * have been told.
 */
public final class FailoverCheck {

  /** What a fault cost, for the test output and the docs. */
  public record Report(int acknowledged, int acknowledgedLost, int subscribers, int subscribersTold,
      int notRecoveredAnswers, long finalTop, String finalEpoch) {
    @Override
    public String toString() {
      return acknowledged + " acknowledged, " + acknowledgedLost + " of them lost by the stream; "
          + subscribersTold + " of " + subscribers + " subscribers told (" + notRecoveredAnswers
          + " recovered:false answers), none silently behind; final top " + finalTop + " in epoch " + finalEpoch;
    }
  }

  private FailoverCheck() {
  }

  public static Report check(List<LightSubscriber> subscribers, ProcessCluster.Publishers publishers, RawClient.Api api,
      String channel, Duration timeout) throws InterruptedException {
    ObjectNode history = api.result("history", "{\"channel\":\"" + channel + "\",\"limit\":-1}");
    long top = history.get("offset").asLong();
    String epoch = history.get("epoch").asText();
    Set<Long> kept = new HashSet<>();
    for (JsonNode p : history.get("publications")) {
      kept.add(p.get("data").get("n").asLong());
    }
    Await.until("every subscriber reaches offset " + top + " of epoch " + epoch, timeout.toMillis(),
        () -> subscribers.stream().allMatch(s -> s.last() >= top || !s.violations.isEmpty()));
    int told = 0;
    int answers = 0;
    for (LightSubscriber s : subscribers) {
      s.stop();
      assertEquals(List.of(), s.violations, "subscriber " + s.index + " saw violations");
      assertEquals(s.last(), s.accounted(), "subscriber " + s.index + ": every offset once, in order");
      List<Long> missing = new ArrayList<>();
      for (Long value : publishers.ackedPosition.keySet()) {
        if (kept.contains(value) && !s.seen.contains(value)) {
          missing.add(value);
        }
      }
      answers += s.notRecovered.get();
      told += s.notRecovered.get() > 0 ? 1 : 0;
      assertTrue(missing.isEmpty() || s.notRecovered.get() > 0, "subscriber " + s.index + " silently lacks "
          + missing.size() + " acknowledged publications still in the stream, e.g. " + missing.subList(0, Math.min(5, missing.size())));
    }
    int lost = 0;
    for (Long value : publishers.ackedPosition.keySet()) {
      lost += kept.contains(value) ? 0 : 1;
    }
    return new Report(publishers.ackedPosition.size(), lost, subscribers.size(), told, answers, top, epoch);
  }
}
