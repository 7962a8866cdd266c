package io.rotor.testing;

import io.rotor.cluster.ClusterVertx;
import io.rotor.config.ConfigLoader;
import io.rotor.config.RotorOptions;
import io.rotor.server.RotorServer;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Rotor node for tests: its own Vert.x, a free port, a config given as JSON. The token
 * secret and API key below are what test clients use.
 */
public final class TestNode implements AutoCloseable {

  public static final String SECRET = "test-secret";
  public static final String API_KEY = "test-api-key";

  /** Namespaces the tests rely on; see each test for what it exercises. */
  public static final String DEFAULT_CONFIG = """
      {
        "http_server": {"address": "127.0.0.1", "port": 0},
        "client": {
          "token": {"hmac_secret_key": "test-secret"},
          "allow_anonymous_connect_without_token": true,
          "allowed_origins": ["http://allowed.example"]
        },
        "http_api": {"key": "test-api-key"},
        "channel": {
          "without_namespace": {
            "presence": true, "join_leave": true,
            "history_size": 1000, "history_ttl": "300s", "force_recovery": true,
            "allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true,
            "allow_publish_for_subscriber": true, "allow_presence_for_subscriber": true,
            "allow_history_for_subscriber": true
          },
          "namespaces": [
            {"name": "small", "history_size": 5, "history_ttl": "300s", "force_recovery": true,
             "allow_subscribe_for_client": true},
            {"name": "locked"},
            {"name": "nohistory", "allow_subscribe_for_client": true, "allow_publish_for_client": true,
             "presence": false},
            {"name": "personal", "history_size": 10, "history_ttl": "300s", "force_recovery": true,
             "allow_user_limited_channels": true}
          ]
        }
      }
      """;

  /** The default config with every transport beside WebSocket switched on. */
  public static RotorOptions allTransports() {
    RotorOptions o = ConfigLoader.fromJson(DEFAULT_CONFIG, Map.of());
    o.getSockjs().setEnabled(true);
    o.getHttpStream().setEnabled(true);
    o.getSse().setEnabled(true);
    o.getUniWebsocket().setEnabled(true);
    o.getUniSse().setEnabled(true);
    o.getUniHttpStream().setEnabled(true);
    return o;
  }

  private final Vertx vertx;
  private final RotorServer server;

  private TestNode(Vertx vertx, RotorServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static TestNode start() {
    return start(DEFAULT_CONFIG, Map.of());
  }

  public static TestNode start(String configJson, Map<String, String> env) {
    return start(ConfigLoader.fromJson(configJson, env));
  }

  public static TestNode start(RotorOptions options) {
    Vertx vertx;
    try {
      vertx = ClusterVertx.create(options).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cluster join failed", e);
    }
    try {
      RotorServer server = RotorServer.start(vertx, options).await(30, TimeUnit.SECONDS);
      return new TestNode(vertx, server);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("node did not start", e);
    }
  }

  public int port() {
    return server.port();
  }

  public RotorServer server() {
    return server;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
