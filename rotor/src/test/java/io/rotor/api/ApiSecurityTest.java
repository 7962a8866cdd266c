package io.rotor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.testing.RawClient;
import io.rotor.testing.SharedNodeTest;
import io.rotor.testing.TestNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Server API hardening: key checks, the insecure switch, the request body limit. */
class ApiSecurityTest extends SharedNodeTest {

  private static int status(RawClient.Api a, String path, String body, String... headers) {
    HttpRequest.Builder b = a.request(path, body);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return a.send(b.build()).statusCode();
  }

  /** Keys are compared in constant time (MessageDigest.isEqual); here: only the exact key passes. */
  @Test
  void nearMissKeysAreRefused() {
    String key = TestNode.API_KEY;
    for (String wrong : new String[] {key.substring(0, key.length() - 1), key + "x", key.toUpperCase(),
        key.substring(0, key.length() - 1) + "Y", ""}) {
      assertEquals(401, status(api, "/api/info", "{}", "X-API-Key", wrong), wrong);
      assertEquals(401, status(api, "/api/info", "{}", "Authorization", "apikey " + wrong + "z"), wrong);
    }
    assertEquals(200, status(api, "/api/info", "{}", "X-API-Key", key));
  }

  @Test
  void insecureNeedsNoKeyEvenWhenNoneIsConfigured() {
    TestNode open = startNode("{\"http_api\": {\"key\": \"\", \"insecure\": true}}");
    assertEquals(200, status(new RawClient.Api(open.port()), "/api/info", "{}"));
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"channel\":\"x\",\"data\":\"" + "a".repeat((int) 10.5e6) + "\"}";
    HttpResponse<String> r;
    try {
      r = api.send(api.request("/api/publish", big).header("X-API-Key", TestNode.API_KEY).build());
    } catch (AssertionError e) {
      // The node may close the connection while the client still writes; that refusal is fine too,
      // as long as the node stays up.
      assertEquals(200, status(api, "/api/info", "{}", "X-API-Key", TestNode.API_KEY));
      return;
    }
    assertEquals(413, r.statusCode());
  }

  @Test
  void internalPortTakesTheApiOffThePublicPort() throws Exception {
    int internal;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      internal = free.getLocalPort();
    }
    TestNode n = startNode("{\"http_server\": {\"internal_port\": " + internal + ", \"internal_address\": \"127.0.0.1\"}}");
    RawClient.Api publicPort = new RawClient.Api(n.port());
    RawClient.Api internalPort = new RawClient.Api(internal);
    assertEquals(404, status(publicPort, "/api/info", "{}", "X-API-Key", TestNode.API_KEY));
    assertEquals(200, status(internalPort, "/api/info", "{}", "X-API-Key", TestNode.API_KEY));
    assertEquals(401, status(internalPort, "/api/info", "{}"), "the internal port still needs the key");
    // Clients still connect on the public port.
    open(n).connect(RawClient.token("ann"));
  }
}
