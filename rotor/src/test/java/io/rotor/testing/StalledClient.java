package io.rotor.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket that connects, subscribes and then stops reading: the
 * kernel's buffers fill (its receive buffer is a few KiB) and the server's write queue backs up, as
 * with a consumer that stalls. {@link #drain} reads what arrived afterwards, up to the close frame.
 */
public final class StalledClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private StalledClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects (anonymously when {@code token} is null), subscribes to {@code channel}, stops reading. */
  public static StalledClient subscribe(int port, String channel, String token) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096); // before connect, so the window stays small
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(10_000);
    StalledClient c = new StalledClient(s);
    try {
      c.handshake(port);
      c.sendText("{\"id\":1,\"connect\":{" + (token == null ? "" : "\"token\":\"" + token + "\"") + "}}");
      c.awaitText("\"id\":1");
      c.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
      c.awaitText("\"id\":2");
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return c;
  }

  private void handshake(int port) throws IOException {
    out.write(("GET /connection/websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head);
      }
      head.write(b);
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
  }

  /** A masked text frame (a client must mask; the zero key keeps the payload as is). */
  private void sendText(String text) throws IOException {
    byte[] p = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    if (p.length < 126) {
      f.write(0x80 | p.length);
    } else {
      f.write(0x80 | 126);
      f.write(p.length >> 8);
      f.write(p.length & 0xff);
    }
    f.write(new byte[4]);
    f.write(p);
    out.write(f.toByteArray());
    out.flush();
  }

  /** Reads frames until a text frame contains {@code marker}. */
  private void awaitText(String marker) throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f == null) {
        throw new IOException("closed before " + marker);
      }
      if (f.opcode == 1 && new String(f.payload, StandardCharsets.UTF_8).contains(marker)) {
        return;
      }
    }
  }

  private record Frame(int opcode, byte[] payload) {
  }

  private Frame readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = in.read();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = (in.read() << 8) | in.read();
    } else if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; i++) {
        len = (len << 8) | in.read();
      }
    }
    byte[] payload = in.readNBytes((int) len);
    if (payload.length < len) {
      return null;
    }
    return new Frame(b0 & 0x0f, payload);
  }

  /** What {@link #drain} found: bytes of publications received and the close frame's code (-1: none). */
  public record Drained(long bytes, int closeCode) {
  }

  /** Reads everything the server sent (it had stopped reading) until the close frame or the end of the stream. */
  public Drained drain() throws IOException {
    long bytes = 0;
    try {
      while (true) {
        Frame f = readFrame();
        if (f == null) {
          return new Drained(bytes, -1);
        }
        if (f.opcode == 8) {
          int code = f.payload.length >= 2 ? ((f.payload[0] & 0xff) << 8) | (f.payload[1] & 0xff) : -1;
          return new Drained(bytes, code);
        }
        bytes += f.payload.length;
      }
    } catch (java.net.SocketException e) {
      return new Drained(bytes, -1); // reset by the server
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
