package io.rotor.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port nobody listens on right now (for {@code http_server.port: 0}, used by tests). */
final class FreePort {

  private FreePort() {
  }

  static int find(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }
}
