package io.rotor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.testing.OnContext;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed admin logins: a growing delay, then a temporary refusal, per client address. */
class LoginThrottleTest extends SharedNodeTest {

  @Test
  void scheduleWithAClock() {
    AtomicLong now = new AtomicLong(1_000_000);
    LoginThrottle t = new LoginThrottle(now::get);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < LoginThrottle.BLOCK_AFTER - 1; i++) {
      LoginThrottle.Decision d = t.begin("10.0.0.1");
      assertFalse(d.refused());
      delays.add(d.delayMs());
      now.addAndGet(d.delayMs());
      assertFalse(t.finished("10.0.0.1", false).refused());
    }
    assertEquals(List.of(0L, 0L, 0L, 250L, 500L, 1000L, 2000L, 4000L, 4000L), delays);
    assertTrue(t.begin("10.0.0.1").delayMs() > 0);
    LoginThrottle.Decision tenth = t.finished("10.0.0.1", false);
    assertTrue(tenth.refused());
    assertEquals(LoginThrottle.BLOCK_MS, tenth.retryAfterMs());
    assertTrue(t.begin("10.0.0.1").refused(), "refused, whatever the password");
    assertFalse(t.begin("10.0.0.2").refused(), "other addresses are not affected");
    t.finished("10.0.0.2", true);
    now.addAndGet(LoginThrottle.BLOCK_MS + 1);
    LoginThrottle.Decision after = t.begin("10.0.0.1");
    assertFalse(after.refused());
    assertTrue(after.delayMs() > 0, "after the refusal, failures are delayed at once");
    assertFalse(t.finished("10.0.0.1", true).refused());
    assertEquals(0, t.begin("10.0.0.1").delayMs(), "a success resets the address");
  }

  @Test
  void parallelAttemptsDoNotSkipTheDelay() {
    LoginThrottle t = new LoginThrottle(System::currentTimeMillis);
    assertFalse(t.begin("10.0.0.3").refused());
    assertTrue(t.begin("10.0.0.3").refused(), "one attempt per address at a time");
    t.finished("10.0.0.3", false);
    assertFalse(t.begin("10.0.0.3").refused());
  }

  @Test
  void overHttpFromTwoAddresses() throws Exception {
    TestNode n = startNode(AdminApiTest.ADMIN_CONFIG);
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient attacker = vertx.createHttpClient(new HttpClientOptions().setLocalAddress("127.0.0.1"));
      HttpClient operator = vertx.createHttpClient(new HttpClientOptions().setLocalAddress("127.0.0.2"));
      long[] took = new long[LoginThrottle.BLOCK_AFTER];
      int[] status = new int[LoginThrottle.BLOCK_AFTER];
      for (int i = 0; i < LoginThrottle.BLOCK_AFTER; i++) {
        long start = System.nanoTime();
        status[i] = login(vertx, attacker, n, "wrong-" + i)[0];
        took[i] = (System.nanoTime() - start) / 1_000_000;
      }
      for (int i = 0; i < LoginThrottle.BLOCK_AFTER - 1; i++) {
        assertEquals(401, status[i], "attempt " + (i + 1));
        assertTrue(took[i] >= LoginThrottle.delay(i), "attempt " + (i + 1) + " answered after " + took[i] + " ms");
      }
      assertEquals(429, status[LoginThrottle.BLOCK_AFTER - 1], "the tenth failure refuses the address");
      int[] blocked = login(vertx, attacker, n, AdminApiTest.PASSWORD);
      assertEquals(429, blocked[0], "even the right password, while refused");
      assertTrue(blocked[1] > 200, "Retry-After " + blocked[1]);
      assertEquals(200, login(vertx, operator, n, AdminApiTest.PASSWORD)[0], "another address logs in");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Status and Retry-After (or -1) of one login. */
  private static int[] login(Vertx vertx, HttpClient client, TestNode n, String password) throws Exception {
    // On one context: a body() added after the response ended would wait forever (see OnContext).
    return OnContext.call(vertx, () -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(n.port()).setURI("/admin/api/login"))
        .compose(req -> req.send("{\"password\":\"" + password + "\"}"))
        .compose(resp -> resp.body().map(b -> new int[] {resp.statusCode(),
            resp.getHeader("Retry-After") == null ? -1 : Integer.parseInt(resp.getHeader("Retry-After"))})))
        .await(30, TimeUnit.SECONDS);
  }
}
