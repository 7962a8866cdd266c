package io.rotor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rotor.config.RotorOptions;
import io.rotor.testing.LocalPorts;
import io.rotor.testing.Nginx;
import io.rotor.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium with the npm builds of centrifuge-js and sockjs-client: directly against the
 * node, and through an nginx that refuses WebSocket upgrades, where the page must fall back and
 * still receive every publication. Screenshots go to target/browser-*.png.
 */
class BrowserTest {

  private static final Path SHOTS = Path.of("target").toAbsolutePath();
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    RotorOptions o = TestNode.allTransports();
    // The page is served from another local port: its origin must be allowed.
    o.getClient().setAllowedOrigins(List.of("http://127.0.0.1:*"));
    node = TestNode.start(o);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static void browser(String label, String base, String modes) throws Exception {
    browser(node, LocalPorts.free(), label, base, modes);
  }

  private static void browser(TestNode node, int pagePort, String label, String base, String modes) throws Exception {
    NodeScript.Result r = NodeScript.run("browser", Map.of(
        "ROTOR_PORT", String.valueOf(node.port()),
        "ROTOR_PAGE_PORT", String.valueOf(pagePort),
        "ROTOR_SECRET", TestNode.SECRET,
        "ROTOR_API_KEY", TestNode.API_KEY,
        "ROTOR_BASE", base,
        "ROTOR_MODES", modes,
        "ROTOR_LABEL", label,
        "ROTOR_SCREENSHOT_DIR", SHOTS.toString()), 180);
    assertEquals(0, r.exitCode(), () -> "browser " + label + " failed:\n" + r.output());
  }

  @Test
  void directConnectionUsesWebSocket() throws Exception {
    browser("direct", "http://127.0.0.1:" + node.port(), "fallback=websocket,sockjs=sockjs-websocket");
  }

  @Test
  void proxyRefusingWebSocketFallsBackAndDeliversEverything() throws Exception {
    try (Nginx nginx = Nginx.refusingWebSocket(node.port())) {
      browser("nginx", "http://127.0.0.1:" + nginx.port(), "fallback=http_stream,sockjs=sockjs-xhr-streaming");
    }
  }

  /**
   * The iframe-based SockJS transports, switched on: the iframe page loads sockjs-client from
   * {@code sockjs.library_url}, here the page server's copy of the npm build.
   */
  @Test
  void iframeAndJsonpTransportsWhenEnabled() throws Exception {
    int pagePort = LocalPorts.free();
    RotorOptions o = TestNode.allTransports();
    o.getClient().setAllowedOrigins(List.of("http://127.0.0.1:*"));
    o.getSockjs().setIframeTransports(true).setLibraryUrl("http://127.0.0.1:" + pagePort + "/lib/sockjs.min.js");
    try (TestNode iframes = TestNode.start(o)) {
      browser(iframes, pagePort, "iframes", "http://127.0.0.1:" + iframes.port(),
          "sockjs-jsonp-polling=sockjs-jsonp-polling,sockjs-iframe-htmlfile=sockjs-iframe-htmlfile,"
              + "sockjs-iframe-eventsource=sockjs-iframe-eventsource,sockjs-iframe-xhr-polling=sockjs-iframe-xhr-polling");
    }
  }
}
