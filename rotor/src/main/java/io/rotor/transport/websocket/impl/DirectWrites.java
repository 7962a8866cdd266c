package io.rotor.transport.websocket.impl;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a server WebSocket the write path of a strict-thread-mode connection.
 *
 * <p>Why: Vert.x 5.0 builds every upgraded WebSocket's connection with a write queue meant for
 * writers on any thread, whatever the HTTP server's {@code strictThreadMode}: a multi-producer queue
 * whose first chunk (1,024 slots, ~4.7 KB) is allocated per connection and which every frame passes
 * through. Rotor writes a connection only from its own event loop (its Hub's context), so it needs
 * neither; on a node holding 20,000 idle connections the queues alone are ~90 MB of heap. Vert.x has
 * no option for it, so this swaps in the connection's own direct queue (the one strict thread mode
 * uses, which writes straight to the channel and reports the channel's writability) by reflection.
 *
 * <p>When the Vert.x internals differ (another version), nothing is changed: the log says so once and
 * the WebSocket keeps Vert.x's queue, which is correct, only larger.
 */
public final class DirectWrites {

  private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);
  private static final Access ACCESS = Access.find();

  private DirectWrites() {
  }

  /**
   * Installs direct writes on {@code ws} (call on its event loop before the first write) and returns
   * the WebSocket to use: Vert.x's own one when {@code ws} is Vert.x Web's wrapper around it (the
   * wrapper only adds forwarded-header handling to the address getters, which Rotor does not call).
   */
  public static ServerWebSocket install(ServerWebSocket ws) {
    if (ACCESS == null) {
      return ws;
    }
    ServerWebSocket core = ACCESS.unwrap(ws);
    return ACCESS.install(core) ? core : ws;
  }

  /** The event loop of the WebSocket's connection: every write must be made on it. */
  public static EventExecutor loopOf(ServerWebSocket ws) {
    ServerWebSocket core = ACCESS == null ? ws : ACCESS.unwrap(ws);
    if (core instanceof WebSocketInternal internal) {
      return internal.channelHandlerContext().executor();
    }
    return ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
  }

  /** Whether this Vert.x has the internals {@link #install} relies on. */
  public static boolean available() {
    return ACCESS != null;
  }

  private record Access(Field connOfWebSocket, Field queueOfConn, Class<?> directQueue,
      Constructor<?> newDirectQueue, Class<?> baseClass, Class<?> webWrapper, Field delegateOfWrapper) {

    static Access find() {
      try {
        Class<?> base = Class.forName("io.vertx.core.http.impl.WebSocketImplBase");
        Class<?> conn = Class.forName("io.vertx.core.net.impl.VertxConnection");
        Class<?> direct = Class.forName("io.vertx.core.net.impl.VertxConnection$DirectOutboundMessageQueue");
        Field connField = base.getDeclaredField("conn");
        Field queueField = conn.getDeclaredField("outboundMessageQueue");
        Constructor<?> ctor = direct.getDeclaredConstructor(conn);
        Class<?> wrapper = Class.forName("io.vertx.ext.web.impl.ServerWebSocketWrapper");
        Field delegate = wrapper.getDeclaredField("delegate");
        delegate.setAccessible(true);
        connField.setAccessible(true);
        queueField.setAccessible(true);
        ctor.setAccessible(true);
        if (!queueField.getType().isAssignableFrom(direct) || !conn.isAssignableFrom(connField.getType())) {
          throw new NoSuchFieldException("unexpected field types");
        }
        return new Access(connField, queueField, direct, ctor, base, wrapper, delegate);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.warn("WebSocket direct writes unavailable in this Vert.x ({}): each WebSocket keeps Vert.x's"
            + " cross-thread write queue (~4.7 KB of heap per connection)", e.toString());
        return null;
      }
    }

    ServerWebSocket unwrap(ServerWebSocket ws) {
      try {
        return webWrapper.isInstance(ws) ? (ServerWebSocket) delegateOfWrapper.get(ws) : ws;
      } catch (ReflectiveOperationException e) {
        return ws;
      }
    }

    boolean install(ServerWebSocket ws) {
      if (!baseClass.isInstance(ws)) {
        return false;
      }
      try {
        Object conn = connOfWebSocket.get(ws);
        Object queue = queueOfConn.get(conn);
        if (directQueue.isInstance(queue)) {
          return true;
        }
        // Nothing can be waiting in it: a write on the event loop drains at once while the channel
        // is writable, and this runs on that loop right after the handshake, before any write.
        queueOfConn.set(conn, newDirectQueue.newInstance(conn));
        return true;
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("WebSocket direct writes not installed", e);
        return false;
      }
    }
  }
}
