package io.rotor.broker;

import io.rotor.core.ClientInfo;
import io.rotor.core.Publication;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * What a broker that fans out through an external server (Redis PUB/SUB, NATS) sends per event:
 * {@code p<offset>:<epoch>:<publication>}, {@code j<info>} and {@code l<info>}. The Redis append
 * script writes the first form itself (history_add.lua), so the format is fixed.
 */
public final class FanOutMessages {

  private FanOutMessages() {
  }

  public static Buffer publication(Publication p) {
    return Buffer.buffer("p" + p.offset() + ":" + (p.epoch() == null ? "" : p.epoch()) + ":")
        .appendBuffer(PublicationCodec.encode(p));
  }

  public static Buffer join(ClientInfo info) {
    return Buffer.buffer("j").appendBuffer(PublicationCodec.encodeInfo(info));
  }

  public static Buffer leave(ClientInfo info) {
    return Buffer.buffer("l").appendBuffer(PublicationCodec.encodeInfo(info));
  }

  /** Hands one message to {@code handler}; throws on a message it cannot read. */
  public static void dispatch(String channel, Buffer msg, BrokerEventHandler handler) {
    switch (msg.getByte(0)) {
      case 'p' -> handler.onPublication(channel, decodePublication(msg));
      case 'j' -> handler.onJoin(channel, PublicationCodec.decodeInfo(msg.getBuffer(1, msg.length())));
      case 'l' -> handler.onLeave(channel, PublicationCodec.decodeInfo(msg.getBuffer(1, msg.length())));
      default -> throw new IllegalArgumentException("unknown message kind " + (char) msg.getByte(0));
    }
  }

  /** {@code p<offset>:<epoch>:<encoded publication>}. */
  public static Publication decodePublication(Buffer msg) {
    int first = indexOf(msg, 1);
    int second = indexOf(msg, first + 1);
    long offset = Long.parseLong(msg.getString(1, first, StandardCharsets.US_ASCII.name()));
    String epoch = msg.getString(first + 1, second, StandardCharsets.US_ASCII.name());
    Publication p = PublicationCodec.decode(msg.getBuffer(second + 1, msg.length()));
    return p.withPosition(offset, epoch);
  }

  private static int indexOf(Buffer b, int from) {
    for (int i = from; i < b.length(); i++) {
      if (b.getByte(i) == ':') {
        return i;
      }
    }
    throw new IllegalArgumentException("no ':' in message");
  }
}
