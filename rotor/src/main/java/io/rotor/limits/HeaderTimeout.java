package io.rotor.limits;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * Against slowloris: once a request has begun on an HTTP/1 connection, its headers must be
 * complete within {@code http_server.read_header_timeout} and the whole request, body included,
 * within {@code http_server.read_timeout}, or the connection is closed (a body that dribbles one
 * byte every few seconds after complete headers holds a connection as well as slow headers). The
 * clock starts when the connection opens (for its first request) and, on a keep-alive
 * connection, when the first byte of a later request arrives. An idle keep-alive connection has
 * no deadline: closing one races with clients that reuse it (their request meets a closing
 * socket). Vert.x's idle timeout cannot catch a peer that sends one header byte every few seconds.
 *
 * <p>Vert.x does not report a request's first byte, so two Netty handlers join the connection's
 * pipeline: one in front of the HTTP decoder sees raw bytes arrive, one behind it sees request
 * heads (headers complete) and ends, and the responses going out (a 101 means the connection left
 * HTTP: both handlers leave). Both run on the connection's event loop, so the state is theirs
 * alone. The channel is reached through Vert.x's {@code ConnectionBase} (an impl class of the
 * pinned Vert.x 5.0.x). Needs h2c off: with h2c on, Vert.x reports HTTP/1 connections only once
 * their first request has arrived.
 */
public final class HeaderTimeout {

  static final String BYTES = "rotorHeaderTimeoutBytes";
  static final String HEADS = "rotorHeaderTimeoutHeads";

  private final long timeoutMillis;
  private final long readMillis;

  public HeaderTimeout(long timeoutMillis) {
    this(timeoutMillis, 0);
  }

  /** Headers within {@code timeoutMillis}, the whole request within {@code readMillis}; 0 turns either off. */
  public HeaderTimeout(long timeoutMillis, long readMillis) {
    this.timeoutMillis = timeoutMillis;
    this.readMillis = readMillis;
  }

  /** For {@code HttpServer.connectionHandler}: watches the connection, its first request's deadline running. */
  public void onConnection(HttpConnection conn) {
    if (timeoutMillis <= 0 && readMillis <= 0 || !(conn instanceof ConnectionBase base)) {
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
      return; // not an HTTP/1 connection
    }
    Watch watch = new Watch();
    pipeline.addBefore("httpDecoder", BYTES, watch.bytes);
    // Behind the encoder: inbound it sees decoded requests, outbound responses before encoding.
    pipeline.addAfter("httpEncoder", HEADS, watch.heads);
    watch.arm(pipeline.context(BYTES));
  }

  /** One connection's deadline: armed while a request's headers are incomplete. */
  private final class Watch {

    /** Between requests: the next byte starts the clock. Otherwise a request is being read or answered. */
    private boolean betweenRequests;
    /** An upgrade was asked for: its bytes after the head belong to the new protocol or the rejection. */
    private boolean upgrading;
    private ScheduledFuture<?> deadline;
    /** The whole request's deadline, from its headers until its last content. */
    private ScheduledFuture<?> bodyDeadline;
    /** When the current request's clock started ({@link System#nanoTime()}). */
    private long startedAt;
    /** A request has begun and not yet been read in full. */
    private boolean clockRunning;

    final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (betweenRequests && !upgrading && !clockRunning && msg instanceof ByteBuf b && b.isReadable()) {
          arm(ctx);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        disarmBody();
        ctx.fireChannelInactive();
      }
    };

    final ChannelDuplexHandler heads = new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
          disarm();
          betweenRequests = false;
          upgrading = req.headers().contains(HttpHeaderNames.UPGRADE);
          if (readMillis > 0 && !(msg instanceof LastHttpContent)) {
            long left = readMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            bodyDeadline = ctx.executor().schedule(() -> {
              bodyDeadline = null;
              ctx.channel().close();
            }, Math.max(1, left), TimeUnit.MILLISECONDS);
          }
        }
        if (msg instanceof LastHttpContent) {
          betweenRequests = true;
          clockRunning = false;
          disarmBody();
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (msg instanceof HttpResponse res) {
          if (res.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            leave(ctx.pipeline());
          } else if (res.status().code() >= 200) {
            upgrading = false; // a refused upgrade: the connection stays HTTP
          }
        }
      }
    };

    void arm(ChannelHandlerContext ctx) {
      startedAt = System.nanoTime();
      clockRunning = true;
      if (timeoutMillis <= 0) {
        return;
      }
      deadline = ctx.executor().schedule(() -> {
        deadline = null;
        ctx.channel().close();
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    void disarm() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    void disarmBody() {
      if (bodyDeadline != null) {
        bodyDeadline.cancel(false);
        bodyDeadline = null;
      }
    }

    /** The connection is no longer HTTP/1 (WebSocket): no header deadline applies. */
    void leave(ChannelPipeline pipeline) {
      disarm();
      disarmBody();
      if (pipeline.get(BYTES) != null) {
        pipeline.remove(BYTES);
      }
      if (pipeline.get(HEADS) != null) {
        pipeline.remove(HEADS);
      }
    }
  }
}
