package io.rotor.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.rotor.core.Disconnect;
import io.rotor.delta.Fossil;
import io.rotor.protocol.pb.Publication;
import io.rotor.protocol.pb.Push;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Publications as a subscriber with delta compression receives them (centrifuge's getDeltaPub and
 * makeRecoveredPubsDeltaFossil): on JSON wires the data is always a JSON string (the payload
 * itself, or the fossil patch with {@code delta: true}); on Protobuf wires the bytes as they are. A
 * patch is sent only when it is smaller than the payload.
 */
public final class DeltaPayloads {

  private DeltaPayloads() {
  }

  /** The full payload for a delta subscriber on {@code wire}. */
  public static Publication full(Publication pub, Wire wire) {
    if (wire.binary()) {
      return pub;
    }
    return pub.toBuilder().setData(Protos.bytes(jsonString(pub.getData().toByteArray()))).build();
  }

  /** The patch (from {@link Fossil#create}) when it is worth sending, else the full payload. */
  public static Publication delta(Publication pub, byte[] patch, Wire wire) {
    if (patch == null || patch.length >= pub.getData().size()) {
      return full(pub, wire);
    }
    if (wire.binary()) {
      return pub.toBuilder().setData(Protos.bytes(patch)).setDelta(true).build();
    }
    byte[] quoted = jsonStringOrNull(patch);
    if (quoted == null) {
      // A copy boundary fell inside a multi-byte character: the patch is no text, send the payload.
      return full(pub, wire);
    }
    return pub.toBuilder().setData(Protos.bytes(quoted)).setDelta(true).build();
  }

  /** A push of a publication in the delta subscriber's form. */
  public static Push full(Push push, Wire wire) {
    return wire.binary() ? push : push.toBuilder().setPub(full(push.getPub(), wire)).build();
  }

  /**
   * Recovered publications for a delta subscriber, in order: the first full, each later one a patch
   * against the one before (every recovered publication reaches the client, so each is its base).
   */
  public static List<Publication> recovered(List<io.rotor.core.Publication> pubs, Wire wire) {
    List<Publication> out = new ArrayList<>(pubs.size());
    byte[] prev = null;
    for (io.rotor.core.Publication p : pubs) {
      Publication pb = Protos.publication(p);
      byte[] data = p.data() == null ? new byte[0] : p.data();
      out.add(prev == null ? full(pb, wire) : delta(pb, Fossil.create(prev, data), wire));
      prev = data;
    }
    return out;
  }

  /**
   * UTF-8 text as a JSON string literal, quotes included.
   *
   * @throws Disconnect.Exception 3506 when the payload is not text (binary data for a JSON client)
   */
  static byte[] jsonString(byte[] utf8) {
    byte[] q = jsonStringOrNull(utf8);
    if (q == null) {
      throw Disconnect.INAPPROPRIATE_PROTOCOL.asException();
    }
    return q;
  }

  private static byte[] jsonStringOrNull(byte[] utf8) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    byte[] body = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    byte[] out = new byte[body.length + 2];
    out[0] = '"';
    System.arraycopy(body, 0, out, 1, body.length);
    out[out.length - 1] = '"';
    return out;
  }
}
