package io.rotor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real centrifuge-js 5.8 over every non-WebSocket transport: SockJS (npm sockjs-client 1.6,
 * forced to one SockJS transport at a time), HTTP-streaming and SSE emulation, and transport lists
 * that must fall back. The scenario (src/test/node/scenarios/transport.mjs) checks delivery order,
 * server-side subscriptions, publish, presence, reconnect advice and a terminal disconnect code.
 */
class TransportsJsTest {

  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(TestNode.allTransports());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @ParameterizedTest(name = "{0} -> {1} (broken: {2})")
  @CsvSource({
      "sockjs:websocket, sockjs-websocket, ''",
      "sockjs:xhr-streaming, sockjs-xhr-streaming, ''",
      "sockjs:xhr-polling, sockjs-xhr-polling, ''",
      "sockjs:eventsource, sockjs-eventsource, ''",
      "http_stream, http_stream, ''",
      "sse, sse, ''",
      "'websocket,http_stream,sse,sockjs:xhr-streaming', http_stream, websocket",
      "'websocket,http_stream,sse,sockjs:xhr-streaming', sse, 'websocket,http_stream'",
      "'websocket,http_stream,sse,sockjs:xhr-streaming', sockjs-xhr-streaming, 'websocket,http_stream,sse'",
  })
  void centrifugeJsOverTransport(String transports, String expected, String broken) throws Exception {
    NodeScript.Result r = NodeScript.run("transport", Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_TRANSPORTS", transports,
        "ROTOR_EXPECT", expected,
        "ROTOR_BROKEN", broken), 90);
    assertEquals(0, r.exitCode(), () -> "transport scenario " + transports + " failed:\n" + r.output());
  }

  /** The Protobuf build of centrifuge-js (scenarios/protobuf.mjs): bytes payloads, varint framing. */
  @ParameterizedTest(name = "protobuf over {0}")
  @ValueSource(strings = {"http_stream", "websocket"})
  void centrifugeJsProtobufBuild(String transport) throws Exception {
    NodeScript.Result r = NodeScript.run("protobuf", Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_TRANSPORTS", transport), 90);
    assertEquals(0, r.exitCode(), () -> "protobuf scenario over " + transport + " failed:\n" + r.output());
  }

  @Test
  void plainEventSourceAndWebSocketOnUnidirectionalTransports() throws Exception {
    NodeScript.Result r = NodeScript.run("uni", Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY), 60);
    assertEquals(0, r.exitCode(), () -> "uni scenario failed:\n" + r.output());
  }
}
