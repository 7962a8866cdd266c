package io.rotor.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.rotor.config.ConfigException;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

/** {@code http_server.io_transport}: what {@code auto} picks, judged by Netty's own probes. */
class IoTransportTest {

  @Test
  void autoTakesIoUringThenEpollThenNio() {
    Transport expected = IoUring.isAvailable() ? Transport.IO_URING
        : Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
    assertSame(expected, IoTransport.choose("auto"));
    assertEquals(expected == Transport.IO_URING, IoTransport.fallbackReason() == null);
  }

  @Test
  void namedTransportsAreTakenAsAsked() {
    assertSame(Transport.NIO, IoTransport.choose("nio"));
    if (Epoll.isAvailable()) {
      assertSame(Transport.EPOLL, IoTransport.choose("EPOLL"));
    } else {
      assertThrows(ConfigException.class, () -> IoTransport.choose("epoll"));
    }
  }

  @Test
  void anUnknownTransportIsRefusedByName() {
    ConfigException e = assertThrows(ConfigException.class, () -> IoTransport.choose("kqueue"));
    assertTrue(e.getMessage().contains("http_server.io_transport"), e.getMessage());
  }

  @Test
  void ioUringCompletionQueueIsSizedForARestartUnlessSetByHand() {
    String before = System.getProperty("io.netty.iouring.cqSize");
    try {
      System.clearProperty("io.netty.iouring.cqSize");
      IoTransport.sizeIoUringQueues();
      assertEquals("16384", System.getProperty("io.netty.iouring.cqSize"));
      System.setProperty("io.netty.iouring.cqSize", "8192");
      IoTransport.sizeIoUringQueues();
      assertEquals("8192", System.getProperty("io.netty.iouring.cqSize"), "an operator's value wins");
    } finally {
      if (before == null) {
        System.clearProperty("io.netty.iouring.cqSize");
      } else {
        System.setProperty("io.netty.iouring.cqSize", before);
      }
    }
  }
}
