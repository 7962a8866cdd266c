package io.rotor.client;

import static io.rotor.testing.Jwts.now;
import static io.rotor.testing.RawClient.JSON;
import static io.rotor.testing.RawClient.push;
import static io.rotor.testing.RawClient.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testing.Jwts;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens on the wire: what each refusal looks like to a client (3500 at connect, 103 on subscribe,
 * 109 for expired), subscription tokens and their expiry (2501), connection refresh (3005, 110),
 * token {@code subs}, and the separate {@code client.subscription_token} keys.
 */
class TokenFlowTest extends SharedNodeTest {

  private static int errorCode(ObjectNode reply) {
    assertTrue(reply.has("error"), () -> "expected an error reply, got " + reply);
    return reply.get("error").get("code").asInt();
  }

  private static Map<String, Object> claims(String sub, long ttl) {
    Map<String, Object> m = new HashMap<>();
    m.put("sub", sub);
    m.put("exp", now() + ttl);
    return m;
  }

  private static Map<String, Object> subClaims(String sub, String channel, long ttl) {
    Map<String, Object> m = claims(sub, ttl);
    m.put("channel", channel);
    return m;
  }

  private ObjectNode subscribeWithToken(RawClient c, String channel, String token) {
    return c.call("subscribe", JSON.createObjectNode().put("channel", channel).put("token", token));
  }

  private int connectCloseCode(TestNode on, String token) {
    RawClient c = open(on);
    c.send("{\"id\":1,\"connect\":{\"token\":" + JSON.valueToTree(token) + "}}");
    return c.awaitClose().code();
  }

  // ---- refusals as the client sees them ------------------------------------------------------

  @Test
  void rsaNodeRefusesForgedTokensWith3500AndSubscribeTokensWith103() throws Exception {
    KeyPair rsa = Jwts.rsa();
    String pem = Jwts.publicPem(rsa);
    ObjectNode cfg = JSON.createObjectNode();
    cfg.putObject("client").putObject("token").put("hmac_secret_key", "").put("rsa_public_key", pem);
    TestNode n = startNode(cfg.toString());

    RawClient good = open(n);
    good.connect(Jwts.sign(n.vertx(), rsa, "RS384", null, claims("ann", 3600)));

    assertEquals(3500, connectCloseCode(n, Jwts.forge("{\"alg\":\"none\"}", claims("eve", 3600), null)), "alg none");
    assertEquals(3500, connectCloseCode(n, Jwts.forge("{\"alg\":\"HS256\"}", claims("eve", 3600),
        pem.getBytes(StandardCharsets.UTF_8))), "HS256 keyed with the RSA public key");
    assertEquals(3500, connectCloseCode(n, token(claims("eve", 3600), TestNode.SECRET)), "HS256 on an RSA-only node");
    Map<String, Object> notYet = claims("eve", 3600);
    notYet.put("nbf", now() + 600);
    assertEquals(3500, connectCloseCode(n, Jwts.sign(n.vertx(), rsa, "RS256", null, notYet)), "nbf in the future");

    String ch = "$" + unique("secret");
    assertEquals(103, errorCode(subscribeWithToken(good, ch,
        Jwts.forge("{\"alg\":\"none\"}", subClaims("ann", ch, 3600), null))));
    Map<String, Object> subNotYet = subClaims("ann", ch, 3600);
    subNotYet.put("nbf", now() + 600);
    assertEquals(103, errorCode(subscribeWithToken(good, ch, Jwts.sign(n.vertx(), rsa, "RS256", null, subNotYet))));
    assertEquals(109, errorCode(subscribeWithToken(good, ch, Jwts.sign(n.vertx(), rsa, "RS256", null,
        subClaims("ann", ch, -10)))));
    ObjectNode ok = subscribeWithToken(good, ch, Jwts.sign(n.vertx(), rsa, "RS256", null, subClaims("ann", ch, 3600)));
    assertTrue(ok.has("subscribe"), ok::toString);
  }

  // ---- subscription token expiry ---------------------------------------------------------------

  /** A node that ends expired connections and subscriptions without grace. */
  private TestNode noGraceNode() {
    return startNode("{\"client\": {\"expired_sub_close_delay\": \"0s\", \"expired_close_delay\": \"0s\"}}");
  }

  @Test
  void expiringSubscriptionIsUnsubscribedWith2501UnlessRefreshed() {
    TestNode n = noGraceNode();
    RawClient c = connected(n, "ann");
    String refreshed = "$" + unique("kept");
    String control = "$" + unique("lapsing");
    ObjectNode r = subscribeWithToken(c, refreshed, token(subClaims("ann", refreshed, 2)));
    assertTrue(r.path("subscribe").path("expires").asBoolean(), r::toString);
    assertTrue(r.path("subscribe").path("ttl").asLong() <= 2, r::toString);
    subscribeWithToken(c, control, token(subClaims("ann", control, 2)));

    ObjectNode refresh = c.call("sub_refresh", JSON.createObjectNode().put("channel", refreshed)
        .put("token", token(subClaims("ann", refreshed, 3600))));
    assertTrue(refresh.path("sub_refresh").path("ttl").asLong() > 3500, refresh::toString);

    ObjectNode gone = c.await(push(control, "unsubscribe"), Duration.ofSeconds(6));
    assertEquals(2501, gone.get("push").get("unsubscribe").get("code").asInt());
    // The refreshed subscription outlived the control one.
    ObjectNode p = new RawClient.Api(n.port()).call("presence_stats", "{\"channel\":\"" + refreshed + "\"}");
    assertEquals(1, p.path("result").path("num_clients").asInt(), p::toString);
    assertFalse(c.unconsumed().stream().anyMatch(push(refreshed, "unsubscribe")));
  }

  @Test
  void expiredTokenInSubRefreshIs109AndNeverClearsTheExpiry() {
    TestNode n = noGraceNode();
    RawClient c = connected(n, "ann");
    String ch = "$" + unique("lapse");
    subscribeWithToken(c, ch, token(subClaims("ann", ch, 2)));
    ObjectNode refresh = c.call("sub_refresh", JSON.createObjectNode().put("channel", ch)
        .put("token", token(subClaims("ann", ch, -5))));
    assertEquals(109, errorCode(refresh));
    ObjectNode gone = c.await(push(ch, "unsubscribe"), Duration.ofSeconds(6));
    assertEquals(2501, gone.get("push").get("unsubscribe").get("code").asInt());
  }

  @Test
  void subRefreshRules() {
    RawClient c = connected("ann");
    String ch = "$" + unique("rules");
    subscribeWithToken(c, ch, token(subClaims("ann", ch, 3600)));
    assertEquals(103, errorCode(c.call("sub_refresh", "{\"channel\":\"" + unique("not-subscribed") + "\",\"token\":\"x\"}")));
    assertEquals(107, errorCode(c.call("sub_refresh", "{\"channel\":\"" + ch + "\"}")));
    Map<String, Object> past = subClaims("ann", ch, 3600);
    past.put("expire_at", now() - 1);
    assertEquals(110, errorCode(c.call("sub_refresh", JSON.createObjectNode().put("channel", ch)
        .put("token", token(past)))));
    c.send("{\"id\":99,\"sub_refresh\":{\"channel\":\"" + ch + "\",\"token\":\"" + token(subClaims("bob", ch, 3600)) + "\"}}");
    assertEquals(3500, c.awaitClose().code(), "another user's token");
  }

  // ---- connection refresh ------------------------------------------------------------------

  @Test
  void connectionExpiresWith3005() {
    TestNode n = noGraceNode();
    RawClient c = open(n);
    ObjectNode r = c.connect(token(claims("ann", 2)));
    assertTrue(r.path("expires").asBoolean(), r::toString);
    assertEquals(3005, c.awaitClose(Duration.ofSeconds(6)).code());
  }

  @Test
  void refreshedConnectionOutlivesItsFirstToken() {
    TestNode n = noGraceNode();
    RawClient kept = open(n);
    kept.connect(token(claims("ann", 2)));
    RawClient lapsing = open(n);
    lapsing.connect(token(claims("ann", 2)));
    ObjectNode r = kept.call("refresh", JSON.createObjectNode().put("token", token(claims("ann", 3600))));
    assertTrue(r.path("refresh").path("ttl").asLong() > 3500, r::toString);
    assertEquals(3005, lapsing.awaitClose(Duration.ofSeconds(6)).code());
    assertFalse(kept.isClosed(), "the refreshed connection is still open when the other expired");
    assertTrue(kept.call("unsubscribe", "{\"channel\":\"x\"}").has("unsubscribe"));
  }

  @Test
  void refreshWithExpiredTokenIs3005AndPastExpireAtIs110() {
    RawClient a = connected("ann");
    Map<String, Object> past = claims("ann", 3600);
    past.put("expire_at", now() - 1);
    assertEquals(110, errorCode(a.call("refresh", JSON.createObjectNode().put("token", token(past)))));
    a.send("{\"id\":50,\"refresh\":{\"token\":\"" + token(claims("ann", -5)) + "\"}}");
    assertEquals(3005, a.awaitClose().code());

    RawClient b = connected("bob");
    b.send("{\"id\":50,\"refresh\":{\"token\":\"" + token(claims("mallory", 3600)) + "\"}}");
    assertEquals(3500, b.awaitClose().code(), "a refresh cannot switch users");
  }

  // ---- token subs and the subscription token section -------------------------------------------

  @Test
  void tokenSubsCarryInfoDataAndOverrides() {
    String ch = unique("nohistory:room");
    Map<String, Object> c = claims("ann", 3600);
    c.put("subs", Map.of(ch, Map.of("info", Map.of("seat", 7), "data", Map.of("hello", true),
        "override", Map.of("join_leave", Map.of("value", true), "force_push_join_leave", Map.of("value", true)))));
    RawClient client = open();
    ObjectNode r = client.connect(token(c));
    assertEquals("{\"hello\":true}", r.path("subs").path(ch).path("data").toString(), r::toString);
    // nohistory has no join/leave; the token's overrides turn it on for this subscription, and the
    // join carries the token's channel info.
    ObjectNode join = client.await(push(ch, "join"));
    assertEquals("{\"seat\":7}", join.get("push").get("join").get("info").get("chan_info").toString(), join::toString);

    RawClient plain = open();
    plain.connect(token("bob"));
    plain.subscribe(ch);
    assertFalse(plain.unconsumed().stream().anyMatch(push(ch, "join")), "no override, no join pushes");
  }

  @Test
  void subscriptionTokenSectionUsesItsOwnKey() {
    TestNode n = startNode("{\"client\": {\"subscription_token\": {\"enabled\": true, \"hmac_secret_key\": \"sub-only\"}}}");
    RawClient c = open(n);
    c.connect(token("ann"));
    String ch = "$" + unique("sep");
    assertEquals(103, errorCode(subscribeWithToken(c, ch, token(subClaims("ann", ch, 3600)))),
        "the connection key does not sign subscription tokens");
    assertTrue(subscribeWithToken(c, ch, token(subClaims("ann", ch, 3600), "sub-only")).has("subscribe"));
  }
}
