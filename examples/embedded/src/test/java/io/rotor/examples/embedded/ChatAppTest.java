package io.rotor.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.e2e.NodeScript;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded example end to end: the app on a free port, driven by the real centrifuge-js SDK
 * (src/test/node/scenarios/embedded-chat.mjs): login, a WebSocket authorised by the session cookie,
 * a message posted to the app's own route arriving through Rotor, a connection without a session
 * refused with 4501.
 */
class ChatAppTest {

  @Test
  void loginConnectAndReceiveWhatTheAppPublishes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ChatApp app = new ChatApp(0);
      vertx.deployVerticle(app).await(30, TimeUnit.SECONDS);
      NodeScript.Result r = NodeScript.run("embedded-chat", Map.of("ROTOR_PORT", String.valueOf(app.actualPort())), 90);
      assertEquals(0, r.exitCode(), r.output());
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
