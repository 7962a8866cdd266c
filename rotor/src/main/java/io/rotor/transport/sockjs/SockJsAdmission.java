package io.rotor.transport.sockjs;

import io.rotor.limits.ConnectionLimiter;
import io.rotor.limits.ConnectionSlot;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code client.connection_limit} / {@code connection_rate_limit} for SockJS. A session is one
 * connection: the request that would open it (the first poll, stream or WebSocket upgrade of an
 * unknown session id, or a raw WebSocket) takes a {@link ConnectionSlot} or is answered 503 before
 * SockJSHandler sees it; later requests of an open session pass free. SockJSHandler creates the
 * session after this ran, so the session claims the slot through its routing context; a request
 * that opened nothing gives its slot back after {@link #CLAIM_WINDOW_MS}.
 */
final class SockJsAdmission {

  /** {@code /<server>/<session>/<receiving transport>} below the mount point, or the raw WebSocket. */
  private static final Pattern OPENING =
      Pattern.compile("^/?(?:[^/.]+/([^/.]+)/(?:xhr|xhr_streaming|eventsource|htmlfile|jsonp|websocket)|websocket)$");
  private static final String SLOT = "rotor.sockjs.slot";
  private static final String SESSION = "rotor.sockjs.session";
  private static final long CLAIM_WINDOW_MS = 30_000;

  private final Vertx vertx;
  private final ConnectionLimiter limiter;
  /** Admitted session ids of this node (every event loop's router shares them, like SockJS's own map). */
  private final java.util.Map<String, Boolean> open;

  SockJsAdmission(Vertx vertx, ConnectionLimiter limiter, SockJsSessions sessions) {
    this.vertx = vertx;
    this.limiter = limiter;
    this.open = sessions.admitted;
  }

  /** Before SockJSHandler: false when the request was answered 503. */
  boolean admit(RoutingContext ctx) {
    String mount = ctx.mountPoint();
    String path = ctx.normalizedPath();
    if (mount != null && path.startsWith(mount)) {
      path = path.substring(mount.length());
    }
    Matcher m = OPENING.matcher(path);
    if (!m.matches()) {
      return true;
    }
    String session = m.group(1);
    if (session != null && open.containsKey(session)) {
      return true;
    }
    ConnectionSlot slot = ConnectionSlot.admit(limiter, ctx);
    if (slot == null) {
      return false;
    }
    ctx.put(SLOT, slot);
    if (session != null) {
      ctx.put(SESSION, session);
    }
    vertx.setTimer(CLAIM_WINDOW_MS, t -> slot.releaseUnclaimed());
    return true;
  }

  /**
   * When SockJSHandler opens a session: the action that frees its place when it closes, or null
   * when the place is gone (the session must then close).
   */
  Runnable claim(SockJSSocket socket) {
    RoutingContext ctx = socket.routingContext();
    ConnectionSlot slot = ctx == null ? null : ctx.get(SLOT);
    if (slot == null || !slot.claim()) {
      return null;
    }
    String session = ctx.get(SESSION);
    if (session != null) {
      open.put(session, Boolean.TRUE);
    }
    return () -> {
      if (session != null) {
        open.remove(session);
      }
      slot.release();
    };
  }
}
