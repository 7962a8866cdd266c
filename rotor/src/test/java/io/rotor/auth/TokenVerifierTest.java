package io.rotor.auth;

import static io.rotor.testing.Jwts.now;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.config.TokenOptions;
import io.rotor.testing.Jwts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key type and every known JWT attack against the verifier, with keys generated at test time
 * and tokens signed by vertx-auth-jwt. JWKS is served by a real HTTP server on a free port.
 */
class TokenVerifierTest {

  private static final String SECRET = "verifier-test-secret-0123456789abcdef";
  private static Vertx vertx;
  private static KeyPair rsa;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    rsa = Jwts.rsa();
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  private static Map<String, Object> claims(String sub) {
    Map<String, Object> m = new HashMap<>();
    m.put("sub", sub);
    m.put("exp", now() + 3600);
    return m;
  }

  private static <T> T ok(Future<T> f) {
    try {
      return f.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("expected a valid token, got " + e, e);
    }
  }

  private static TokenException.Kind refused(Future<?> f) {
    try {
      f.await(5, TimeUnit.SECONDS);
    } catch (TokenException e) {
      return e.kind();
    } catch (Exception e) {
      throw new AssertionError("expected a TokenException, got " + e, e);
    }
    throw new AssertionError("token was accepted");
  }

  private static TokenVerifier verifier(TokenOptions o) {
    return TokenVerifier.create(vertx, o);
  }

  // ---- HMAC --------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512"})
  void hmacAlgorithms(String alg) {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET));
    assertEquals("ann", ok(v.verifyConnect(Jwts.hmac(vertx, alg, SECRET, claims("ann")))).user());
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, alg, "other", claims("ann")))));
  }

  @Test
  void previousHmacKeyWorksUntilItsDeadline() {
    String token = Jwts.hmac(vertx, "HS256", "old-secret", claims("ann"));
    TokenOptions rotating = new TokenOptions().setHmacSecretKey(SECRET).setHmacPreviousSecretKey("old-secret")
        .setHmacPreviousSecretKeyValidUntil(Instant.now().plusSeconds(3600).toString());
    assertEquals("ann", ok(verifier(rotating).verifyConnect(token)).user());
    assertEquals("bob", ok(verifier(rotating).verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, claims("bob")))).user());
    TokenOptions past = new TokenOptions().setHmacSecretKey(SECRET).setHmacPreviousSecretKey("old-secret")
        .setHmacPreviousSecretKeyValidUntil(Instant.now().minusSeconds(1).toString());
    assertEquals(TokenException.Kind.INVALID, refused(verifier(past).verifyConnect(token)));
  }

  @Test
  void emptySecretAcceptsNothing() {
    assertEquals(TokenException.Kind.INVALID,
        refused(verifier(new TokenOptions()).verifyConnect(Jwts.hmac(vertx, "HS256", "x", claims("a")))));
  }

  // ---- RSA and ECDSA -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "RS384", "RS512"})
  void rsaAlgorithms(String alg) {
    TokenVerifier v = verifier(new TokenOptions().setRsaPublicKey(Jwts.publicPem(rsa)));
    assertEquals("ann", ok(v.verifyConnect(Jwts.sign(vertx, rsa, alg, null, claims("ann")))).user());
    assertEquals(TokenException.Kind.INVALID,
        refused(v.verifyConnect(Jwts.sign(vertx, Jwts.rsa(), alg, null, claims("ann")))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ES256:secp256r1", "ES384:secp384r1", "ES512:secp521r1"})
  void ecdsaAlgorithmsEachBoundToTheirCurve(String spec) {
    String alg = spec.split(":")[0];
    KeyPair ec = Jwts.ec(spec.split(":")[1]);
    TokenVerifier v = verifier(new TokenOptions().setEcdsaPublicKey(Jwts.publicPem(ec)));
    assertEquals("ann", ok(v.verifyConnect(Jwts.sign(vertx, ec, alg, null, claims("ann")))).user());
    // The same key with another ES algorithm (a curve/hash mismatch) is refused.
    String other = alg.equals("ES256") ? "ES384" : "ES256";
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.sign(vertx, ec, other, null, claims("ann")))));
  }

  // ---- attacks -----------------------------------------------------------------------------

  @Test
  void algNoneIsRefused() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET).setRsaPublicKey(Jwts.publicPem(rsa)));
    assertEquals(TokenException.Kind.INVALID,
        refused(v.verifyConnect(Jwts.forge("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims("eve"), null))));
    assertEquals(TokenException.Kind.INVALID,
        refused(v.verifyConnect(Jwts.forge("{\"alg\":\"none\"}", claims("eve"), null) + "AAAA")));
  }

  @Test
  void hmacSignedWithTheRsaPublicKeyIsRefused() {
    String pem = Jwts.publicPem(rsa);
    String forged = Jwts.forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims("eve"), pem.getBytes(StandardCharsets.UTF_8));
    assertEquals(TokenException.Kind.INVALID, refused(verifier(new TokenOptions().setRsaPublicKey(pem)).verifyConnect(forged)));
    assertEquals(TokenException.Kind.INVALID, refused(
        verifier(new TokenOptions().setRsaPublicKey(pem).setHmacSecretKey(SECRET)).verifyConnect(forged)));
    String der = Jwts.forge("{\"alg\":\"HS256\"}", claims("eve"), rsa.getPublic().getEncoded());
    assertEquals(TokenException.Kind.INVALID, refused(verifier(new TokenOptions().setRsaPublicKey(pem)).verifyConnect(der)));
  }

  @Test
  void algorithmOfAnotherFamilyThanTheKeyIsRefused() {
    KeyPair ec = Jwts.ec("secp256r1");
    // An RSA-signed token where only an EC key is configured, and the reverse.
    assertEquals(TokenException.Kind.INVALID, refused(verifier(new TokenOptions().setEcdsaPublicKey(Jwts.publicPem(ec)))
        .verifyConnect(Jwts.sign(vertx, rsa, "RS256", null, claims("eve")))));
    assertEquals(TokenException.Kind.INVALID, refused(verifier(new TokenOptions().setRsaPublicKey(Jwts.publicPem(rsa)))
        .verifyConnect(Jwts.sign(vertx, ec, "ES256", null, claims("eve")))));
    // PS256 (RSA-PSS) is not an algorithm the RSA key is configured for.
    assertEquals(TokenException.Kind.INVALID, refused(verifier(new TokenOptions().setRsaPublicKey(Jwts.publicPem(rsa)))
        .verifyConnect(Jwts.sign(vertx, rsa, "PS256", null, claims("eve")))));
  }

  @Test
  void tamperedPayloadIsRefused() {
    String token = Jwts.hmac(vertx, "HS256", SECRET, claims("ann"));
    String[] parts = token.split("\\.");
    String evil = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonObject(claims("admin")).encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(TokenException.Kind.INVALID, refused(verifier(new TokenOptions().setHmacSecretKey(SECRET))
        .verifyConnect(parts[0] + "." + evil + "." + parts[2])));
  }

  @Test
  void garbageIsRefusedNotThrown() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET));
    for (String junk : List.of("", ".", "..", "a.b.c", "e30.e30.", "!!!.???.***", "eyJhbGciOiJIUzI1NiJ9.bnVsbA.x")) {
      assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(junk)), junk);
    }
  }

  // ---- time claims -------------------------------------------------------------------------

  @Test
  void expiredIsToldApartFromNotYetValid() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET));
    Map<String, Object> expired = claims("ann");
    expired.put("exp", now() - 10);
    assertEquals(TokenException.Kind.EXPIRED, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, expired))));
    Map<String, Object> future = claims("ann");
    future.put("nbf", now() + 600);
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, future))));
    Map<String, Object> badType = claims("ann");
    badType.put("exp", "tomorrow");
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, badType))));
  }

  // ---- audience and issuer -----------------------------------------------------------------

  @Test
  void audienceAndIssuer() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET).setAudience("rotor").setIssuer("https://auth"));
    Map<String, Object> good = claims("ann");
    good.put("aud", "rotor");
    good.put("iss", "https://auth");
    ok(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, good)));
    Map<String, Object> asList = new HashMap<>(good);
    asList.put("aud", List.of("other", "rotor"));
    ok(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, asList)));
    for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(Map.entry("aud", "other"),
        Map.entry("iss", "https://evil"), Map.entry("aud", 42))) {
      Map<String, Object> c = new HashMap<>(good);
      c.put(bad.getKey(), bad.getValue());
      assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, c))), bad.toString());
    }
    Map<String, Object> missing = claims("ann");
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, missing))));
  }

  @Test
  void audienceAndIssuerRegex() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET)
        .setAudienceRegex("^rotor-(eu|us)$").setIssuerRegex("^https://auth\\.example\\.com$"));
    Map<String, Object> c = claims("ann");
    c.put("aud", "rotor-eu");
    c.put("iss", "https://auth.example.com");
    ok(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, c)));
    c.put("aud", "rotor-asia");
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, c))));
    c.put("aud", "rotor-us");
    c.put("iss", "https://auth.example.com.evil");
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, c))));
  }

  // ---- claims ------------------------------------------------------------------------------

  @Test
  void connectionClaims() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET));
    Map<String, Object> c = claims("ann");
    c.put("expire_at", now() + 60);
    c.put("b64info", Base64.getEncoder().encodeToString("{\n\"room\": 1}".getBytes(StandardCharsets.UTF_8)));
    c.put("info", Map.of("ignored", true));
    c.put("meta", Map.of("tenant", "t1"));
    c.put("channels", List.of("news"));
    c.put("subs", Map.of("chat:1", Map.of("info", Map.of("role", "mod"),
        "override", Map.of("presence", Map.of("value", false)))));
    ConnectToken t = ok(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, c)));
    assertEquals(now() + 60, t.expireAt(), 2);
    assertArrayEquals("{\"room\":1}".getBytes(StandardCharsets.UTF_8), t.info(), "b64info wins, re-encoded without newlines");
    assertEquals("{\"tenant\":\"t1\"}", new String(t.meta(), StandardCharsets.UTF_8));
    assertEquals(List.of("chat:1"), t.channels(), "subs takes precedence over channels");
    TokenSubscription sub = t.subs().get("chat:1");
    assertEquals("{\"role\":\"mod\"}", new String(sub.info(), StandardCharsets.UTF_8));
    assertEquals(Boolean.FALSE, sub.override().presence());
    assertNull(sub.override().joinLeave());

    Map<String, Object> withChannel = claims("ann");
    withChannel.put("channel", "news");
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, withChannel))));
    Map<String, Object> binary = claims("ann");
    binary.put("b64info", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff}));
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, binary))),
        "binary info cannot be embedded in JSON frames");
    Map<String, Object> zero = claims("ann");
    zero.put("expire_at", 0);
    assertEquals(0, ok(v.verifyConnect(Jwts.hmac(vertx, "HS256", SECRET, zero))).expireAt(), "expire_at 0: never");
  }

  @Test
  void subscriptionClaims() {
    TokenVerifier v = verifier(new TokenOptions().setHmacSecretKey(SECRET));
    Map<String, Object> c = claims("ann");
    c.put("channel", "$room");
    c.put("data", Map.of("welcome", 1));
    c.put("override", Map.of("join_leave", Map.of("value", true)));
    SubscribeToken t = ok(v.verifySubscribe(Jwts.hmac(vertx, "HS256", SECRET, c)));
    assertEquals("$room", t.channel());
    assertEquals("{\"welcome\":1}", new String(t.data(), StandardCharsets.UTF_8));
    assertEquals(Boolean.TRUE, t.override().joinLeave());
    assertEquals(TokenException.Kind.INVALID,
        refused(v.verifySubscribe(Jwts.hmac(vertx, "HS256", SECRET, claims("ann")))), "channel is required");
  }

  // ---- JWKS --------------------------------------------------------------------------------

  /** A JWKS endpoint whose key list can change; counts requests. */
  private static final class JwksServer implements AutoCloseable {
    final AtomicReference<JsonArray> keys = new AtomicReference<>(new JsonArray());
    final AtomicInteger requests = new AtomicInteger();
    final HttpServer server;

    JwksServer() {
      server = vertx.createHttpServer().requestHandler(req -> {
        requests.incrementAndGet();
        req.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("keys", keys.get()).encode());
      }).listen(0, "127.0.0.1").await();
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
    }

    @Override
    public void close() {
      server.close().await();
    }
  }

  @Test
  void jwksPicksKeysByKidCachesAndRefetchesOnRotation() {
    KeyPair ec = Jwts.ec("secp384r1");
    KeyPair rotated = Jwts.rsa();
    try (JwksServer jwks = new JwksServer()) {
      jwks.keys.set(new JsonArray().add(Jwts.jwk(rsa, "k1")).add(Jwts.jwk(ec, "k2")));
      TokenVerifier v = TokenVerifier.create(vertx, new TokenOptions().setJwksPublicEndpoint(jwks.url()), Duration.ZERO);
      assertEquals("ann", ok(v.verifyConnect(Jwts.sign(vertx, rsa, "RS256", "k1", claims("ann")))).user());
      assertEquals("ann", ok(v.verifyConnect(Jwts.sign(vertx, rsa, "RS512", "k1", claims("ann")))).user());
      assertEquals("bob", ok(v.verifyConnect(Jwts.sign(vertx, ec, "ES384", "k2", claims("bob")))).user());
      assertEquals(1, jwks.requests.get(), "keys are cached");
      // The right kid but a key of another family, or another curve's algorithm: refused.
      assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.sign(vertx, ec, "ES256", "k2", claims("x")))));
      assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.sign(vertx, Jwts.rsa(), "RS256", "k1", claims("x")))));

      jwks.keys.set(new JsonArray().add(Jwts.jwk(rotated, "k3")));
      int before = jwks.requests.get();
      assertEquals("cid", ok(v.verifyConnect(Jwts.sign(vertx, rotated, "RS256", "k3", claims("cid")))).user());
      assertTrue(jwks.requests.get() > before, "an unknown kid refetches the key set");
    }
  }

  @Test
  void unknownKidsCannotMakeTheNodeHammerTheKeyServer() {
    try (JwksServer jwks = new JwksServer()) {
      jwks.keys.set(new JsonArray().add(Jwts.jwk(rsa, "k1")));
      TokenVerifier v = TokenVerifier.create(vertx, new TokenOptions().setJwksPublicEndpoint(jwks.url()), Duration.ofHours(1));
      ok(v.verifyConnect(Jwts.sign(vertx, rsa, "RS256", "k1", claims("ann"))));
      for (int i = 0; i < 50; i++) {
        assertEquals(TokenException.Kind.INVALID,
            refused(v.verifyConnect(Jwts.sign(vertx, rsa, "RS256", "made-up-" + i, claims("eve")))));
      }
      assertEquals(1, jwks.requests.get(), "made-up kids within the refetch interval cause no fetch");
    }
  }

  @Test
  void jwksNeverMakesAnHmacTokenVerify() {
    String secret = "shared-oct-secret-0123456789abcdef";
    try (JwksServer jwks = new JwksServer()) {
      jwks.keys.set(new JsonArray().add(new JsonObject().put("kty", "oct").put("kid", "s")
          .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))));
      TokenVerifier v = TokenVerifier.create(vertx, new TokenOptions().setJwksPublicEndpoint(jwks.url()), Duration.ZERO);
      assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.hmac(vertx, "HS256", secret, claims("eve")))));
      assertEquals(TokenException.Kind.INVALID,
          refused(v.verifyConnect(Jwts.forge("{\"alg\":\"none\",\"kid\":\"s\"}", claims("eve"), null))));
    }
  }

  @Test
  void unreachableJwksFailsFastAsInvalid() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TokenVerifier v = TokenVerifier.create(vertx,
        new TokenOptions().setJwksPublicEndpoint("http://127.0.0.1:" + port + "/jwks"), Duration.ZERO);
    assertEquals(TokenException.Kind.INVALID, refused(v.verifyConnect(Jwts.sign(vertx, rsa, "RS256", "k1", claims("a")))));
  }

  @Test
  void jwkKeysWithoutAlgGetTheirFamilyOnly() {
    List<JsonObject> keys = JwksKeys.signingKeys(new JsonArray()
        .add(Jwts.jwk(rsa, "r"))
        .add(Jwts.jwk(Jwts.ec("secp256r1"), "e"))
        .add(Jwts.jwk(rsa, "enc").put("use", "enc"))
        .add(Jwts.jwk(rsa, "mismatch").put("alg", "ES256"))
        .add(new JsonObject().put("kty", "oct").put("k", "AAAA")));
    List<String> algs = keys.stream().map(k -> k.getString("kid") + ":" + k.getString("alg")).toList();
    assertEquals(List.of("r:RS256", "r:RS384", "r:RS512", "e:ES256"), algs);
    assertFalse(algs.stream().anyMatch(a -> a.startsWith("HS")));
    assertInstanceOf(List.class, keys);
  }
}
