package io.rotor.broker;

import io.rotor.core.ClientInfo;

import io.rotor.core.Publication;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A compact binary form of publications and client infos, for what leaves the JVM: entries of
 * Redis history streams and presence hashes, and event-bus messages between nodes. Strings and
 * byte arrays are length-prefixed; -1 marks null.
 */
public final class PublicationCodec {

  /** 2 added a flags byte after the tags (bit 0: delta); entries of version 1 are still read. */
  private static final byte VERSION = 2;
  private static final byte FLAG_DELTA = 1;

  private PublicationCodec() {
  }

  public static Buffer encode(Publication p) {
    Buffer b = Buffer.buffer(64 + (p.data() == null ? 0 : p.data().length));
    b.appendByte(VERSION);
    writePublication(b, p);
    return b;
  }

  public static Publication decode(Buffer b) {
    Reader r = new Reader(b, 0);
    byte version = r.b.getByte(r.pos++);
    if (version != VERSION && version != 1) {
      throw new IllegalArgumentException("unknown publication encoding");
    }
    return readPublication(r, version == VERSION);
  }

  public static Buffer encodeInfo(ClientInfo info) {
    Buffer b = Buffer.buffer(64);
    writeInfo(b, info);
    return b;
  }

  public static ClientInfo decodeInfo(Buffer b) {
    return readInfo(new Reader(b, 0));
  }

  public static void writePublication(Buffer b, Publication p) {
    b.appendLong(p.offset());
    writeString(b, p.epoch());
    b.appendLong(p.time());
    writeBytes(b, p.data());
    writeInfo(b, p.info());
    Map<String, String> tags = p.tags();
    b.appendInt(tags == null ? -1 : tags.size());
    if (tags != null) {
      tags.forEach((k, v) -> {
        writeString(b, k);
        writeString(b, v);
      });
    }
    b.appendByte(p.delta() ? FLAG_DELTA : 0);
  }

  public static Publication readPublication(Reader r) {
    return readPublication(r, true);
  }

  private static Publication readPublication(Reader r, boolean withFlags) {
    long offset = r.readLong();
    String epoch = r.readString();
    long time = r.readLong();
    byte[] data = r.readBytes();
    ClientInfo info = readInfo(r);
    int n = r.readInt();
    Map<String, String> tags = null;
    if (n >= 0) {
      tags = new HashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        tags.put(r.readString(), r.readString());
      }
    }
    boolean delta = withFlags && (r.b.getByte(r.pos++) & FLAG_DELTA) != 0;
    return new Publication(offset, epoch, data, info, tags, time, delta);
  }

  public static void writeInfo(Buffer b, ClientInfo info) {
    if (info == null) {
      b.appendByte((byte) 0);
      return;
    }
    b.appendByte((byte) 1);
    writeString(b, info.user());
    writeString(b, info.client());
    writeBytes(b, info.connInfo());
    writeBytes(b, info.chanInfo());
  }

  public static ClientInfo readInfo(Reader r) {
    if (r.b.getByte(r.pos++) == 0) {
      return null;
    }
    return new ClientInfo(r.readString(), r.readString(), r.readBytes(), r.readBytes());
  }

  public static void writeString(Buffer b, String s) {
    writeBytes(b, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeBytes(Buffer b, byte[] bytes) {
    if (bytes == null) {
      b.appendInt(-1);
    } else {
      b.appendInt(bytes.length).appendBytes(bytes);
    }
  }

  /** Reads what the write methods wrote, front to back. */
  public static final class Reader {
    final Buffer b;
    int pos;

    public Reader(Buffer b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    public long readLong() {
      long v = b.getLong(pos);
      pos += 8;
      return v;
    }

    public int readInt() {
      int v = b.getInt(pos);
      pos += 4;
      return v;
    }

    public byte[] readBytes() {
      int n = readInt();
      if (n < 0) {
        return null;
      }
      byte[] out = b.getBytes(pos, pos + n);
      pos += n;
      return out;
    }

    public String readString() {
      byte[] bytes = readBytes();
      return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** What is left after the read position. */
    public Buffer rest() {
      return b.getBuffer(pos, b.length());
    }

    public boolean atEnd() {
      return pos >= b.length();
    }
  }
}
