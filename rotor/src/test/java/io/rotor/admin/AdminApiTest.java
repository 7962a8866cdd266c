package io.rotor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.config.ConfigException;
import io.rotor.config.ConfigLoader;
import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP: login, the session token, the allowed methods, the live view's token and socket. */
class AdminApiTest extends SharedNodeTest {

  static final String PASSWORD = "admin-password";
  static final String ADMIN_CONFIG = """
      {"admin": {"enabled": true, "password": "admin-password", "secret": "admin-secret"}}""";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestNode admin;

  @BeforeEach
  void startAdminNode() {
    admin = startNode(ADMIN_CONFIG);
  }

  static HttpResponse<String> post(TestNode n, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String login(TestNode n) throws Exception {
    HttpResponse<String> r = post(n, "/admin/api/login", "{\"password\":\"" + PASSWORD + "\"}", null);
    assertEquals(200, r.statusCode(), r.body());
    return RawClient.json(r.body()).path("token").asText();
  }

  private ObjectNode call(String method, String params, String token) throws Exception {
    HttpResponse<String> r = post(admin, "/admin/api/" + method, params, token);
    assertEquals(200, r.statusCode(), r.body());
    return RawClient.json(r.body());
  }

  @Test
  void loginNeedsTheRightPassword() throws Exception {
    assertEquals(401, post(admin, "/admin/api/login", "{\"password\":\"nope\"}", null).statusCode());
    assertEquals(401, post(admin, "/admin/api/login", "{}", null).statusCode());
    assertEquals(401, post(admin, "/admin/api/login", "not json", null).statusCode());
    assertEquals(3, login(admin).split("\\.").length, "a JWT");
  }

  @Test
  void everyApiCallNeedsAValidSessionToken() throws Exception {
    assertEquals(401, post(admin, "/admin/api/info", "{}", null).statusCode());
    assertEquals(401, post(admin, "/admin/api/info", "{}", "garbage").statusCode());
    // Signed with the client secret (a connection token) or another admin secret: not a session.
    assertEquals(401, post(admin, "/admin/api/info", "{}", RawClient.token("someone")).statusCode());
    // Signed with the admin secret but without the admin audience, or expired: refused too.
    assertEquals(401, post(admin, "/admin/api/info", "{}", RawClient.token(Map.of("sub", "admin"), "admin-secret")).statusCode());
    long past = System.currentTimeMillis() / 1000 - 60;
    assertEquals(401, post(admin, "/admin/api/info", "{}",
        RawClient.token(Map.of("sub", "admin", "aud", "rotor-admin", "exp", past), "admin-secret")).statusCode());
    assertEquals(200, post(admin, "/admin/api/info", "{}",
        RawClient.token(Map.of("sub", "admin", "aud", "rotor-admin", "exp", past + 3600), "admin-secret")).statusCode());
    TestNode other = startNode("{\"admin\": {\"enabled\": true, \"password\": \"admin-password\", \"secret\": \"other\"}}");
    assertEquals(401, post(admin, "/admin/api/info", "{}", login(other)).statusCode());

    RawClient c = connected(admin, "admin-info-user");
    c.subscribe("admin-info-channel");
    ObjectNode nodeInfo = (ObjectNode) call("info", "{}", login(admin)).path("result").path("nodes").get(0);
    assertEquals(1, nodeInfo.path("num_clients").asInt(), nodeInfo.toString());
    assertEquals(1, nodeInfo.path("num_channels").asInt());
    assertEquals(1, nodeInfo.path("num_subs").asInt());
  }

  @Test
  void publishChannelsHistoryAndPresence() throws Exception {
    String token = login(admin);
    RawClient c = connected(admin, "admin-watcher");
    c.subscribe("chat-admin-1");
    c.subscribe("other-admin-2");

    ObjectNode published = call("publish", "{\"channel\":\"chat-admin-1\",\"data\":{\"text\":\"from admin\"}}", token);
    assertEquals(1, published.path("result").path("offset").asLong(), published.toString());
    assertEquals("from admin", c.await(RawClient.pub("chat-admin-1")).at("/push/pub/data/text").asText());

    ObjectNode channels = (ObjectNode) call("channels", "{\"pattern\":\"chat-*\"}", token).at("/result/channels");
    assertEquals(1, channels.size(), channels.toString());
    assertEquals(1, channels.path("chat-admin-1").path("num_clients").asInt());

    ObjectNode history = (ObjectNode) call("history", "{\"channel\":\"chat-admin-1\",\"limit\":10}", token).path("result");
    assertEquals("from admin", history.at("/publications/0/data/text").asText(), history.toString());

    ObjectNode presence = (ObjectNode) call("presence", "{\"channel\":\"chat-admin-1\"}", token).at("/result/presence");
    assertEquals("admin-watcher", presence.elements().next().path("user").asText(), presence.toString());

    // API errors come back as the server API's error object.
    assertEquals(102, call("publish", "{\"channel\":\"nosuchns:x\",\"data\":{}}", token).at("/error/code").asInt());
  }

  @Test
  void theChartsHistoryIsThePagesNotTheServerApis() throws Exception {
    String token = login(admin);
    ObjectNode r = call("node_history", "{}", token);
    com.fasterxml.jackson.databind.JsonNode n = r.path("result").path("nodes").get(0);
    assertEquals(admin.server().nodeId(), n.path("name").asText(), r.toString());
    assertEquals(5, n.path("interval_seconds").asInt());
    for (String series : new String[] {"time", "seconds", "clients", "subscriptions", "publications", "deliveries", "lag_ms"}) {
      assertTrue(n.path(series).isArray(), series + " in " + n);
    }
    assertEquals(200, serverApi("info").statusCode(), "the server API answers with this key");
    HttpResponse<String> viaServerApi = serverApi("node_history");
    assertEquals(404, viaServerApi.statusCode(), "not a server API method: " + viaServerApi.body());
  }

  private HttpResponse<String> serverApi(String method) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/api/" + method))
        .header("X-API-Key", TestNode.API_KEY).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyTheUisMethodsAreOffered() throws Exception {
    String token = login(admin);
    // Centrifugo's two actions on a user are; the rest of the server API (batch, broadcast, ...) is not.
    RawClient c = connected(admin, "admin-target");
    assertEquals(200, post(admin, "/admin/api/disconnect", "{\"user\":\"admin-target\"}", token).statusCode());
    assertEquals(3503, c.awaitClose().code(), "force disconnect, as the server API's");
    assertEquals(404, post(admin, "/admin/api/batch", "{\"commands\":[]}", token).statusCode());
    assertEquals(404, post(admin, "/admin/api/broadcast", "{\"channels\":[\"a\"],\"data\":{}}", token).statusCode());
    assertEquals(400, post(admin, "/admin/api/info", "[1]", token).statusCode());
  }

  @Test
  void watchTokenSubscribesItsHolderServerSide() throws Exception {
    ObjectNode minted = call("watch_token", "{\"channel\":\"watched-admin\"}", login(admin)).path("result").deepCopy();
    assertEquals(WatchTokens.USER, minted.path("user").asText());
    RawClient live = open(admin);
    ObjectNode reply = live.connect(minted.path("token").asText());
    assertTrue(reply.path("subs").has("watched-admin"), reply.toString());
    new RawClient.Api(admin.port()).publish("watched-admin", "{\"n\":7}");
    assertEquals(7, live.await(RawClient.pub("watched-admin")).at("/push/pub/data/n").asInt());

    assertEquals(102, call("watch_token", "{\"channel\":\"nosuchns:x\"}", login(admin)).at("/error/code").asInt());
  }

  @Test
  void liveSocketAdmitsThePagesOwnOriginOnly() throws Exception {
    String host = "127.0.0.1:" + admin.port();
    assertEquals(101, upgrade(admin, "/admin/connection/websocket", "http://" + host));
    assertEquals(403, upgrade(admin, "/admin/connection/websocket", "http://evil.example"));
    // The public endpoint keeps client.allowed_origins: the page's origin is not in it.
    assertEquals(403, upgrade(admin, "/connection/websocket", "http://" + host));
  }

  @Test
  void pageIsServedOnlyWhenEnabled() throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + admin.port() + "/admin/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Rotor admin</title>"));
    HttpResponse<String> off = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.port() + "/admin/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, off.statusCode());
    assertEquals(404, post(node, "/admin/api/login", "{\"password\":\"\"}", null).statusCode());
  }

  @Test
  void enabledWithoutPasswordOrSecretIsAConfigError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson("{\"admin\": {\"enabled\": true, \"secret\": \"s\"}}", Map.of()));
    assertTrue(e.getMessage().startsWith("admin.password"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.fromJson("{\"admin\": {\"enabled\": true, \"password\": \"p\"}}", Map.of()));
    assertTrue(e.getMessage().startsWith("admin.secret"), e.getMessage());
    ConfigLoader.fromJson("{\"admin\": {\"enabled\": true, \"insecure\": true}}", Map.of());
  }

  /** The HTTP status of a WebSocket upgrade with the given Origin: 101 when accepted. */
  private static int upgrade(TestNode n, String path, String origin) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(n.port())
          .setURI(path).addHeader("Origin", origin))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      ws.close();
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException r) {
        return r.getStatus();
      }
      throw e;
    } finally {
      client.close();
    }
  }
}
