package io.rotor.protocol;

import io.rotor.core.Disconnect;
import io.rotor.protocol.pb.Push;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One fan-out's push, encoded at most once per {@link FrameKey} the first time a subscriber needs
 * that kind, and then shared by every subscriber of the kind on every event loop (centrifuge's
 * prepared data). A channel with JSON, Protobuf and unidirectional subscribers costs three
 * encodings, however many subscribers it has; none is ever parsed back.
 *
 * <p>A publication push may also carry the data of the channel's previous publication: then
 * subscribers with delta compression take the {@link FrameKey.Payload#DELTA} frame, whose fossil
 * patch is computed once for the fan-out, whatever the number of wires and subscribers.
 */
public final class PreparedPush {

  /** Marks a key whose encoding failed (bytes a JSON wire cannot carry): 3506 for its subscribers. */
  private static final byte[] UNENCODABLE = new byte[0];

  private final Push push;
  /** The previous publication's data when a delta against it may be sent, else null. */
  private final byte[] prevData;
  private byte[] patch;
  private final AtomicReferenceArray<byte[]> frames = new AtomicReferenceArray<>(FrameKey.COUNT);
  private final AtomicInteger encodings = new AtomicInteger();

  public PreparedPush(Push push) {
    this(push, null);
  }

  /** A publication push that subscribers with delta compression may receive as a patch against {@code prevData}. */
  public PreparedPush(Push push, byte[] prevData) {
    this.push = push;
    this.prevData = prevData;
  }

  /** True when a {@link FrameKey.Payload#DELTA} frame is a patch against the previous publication. */
  public boolean hasDeltaBase() {
    return prevData != null;
  }

  public Push push() {
    return push;
  }

  /**
   * The encoded push for one kind of subscriber. Hubs on several event loops may ask at once: the
   * first one encodes, the others wait for it (a few microseconds, once per fan-out and kind).
   *
   * @throws Disconnect.Exception 3506 when the push cannot be encoded for this wire
   */
  public byte[] frame(FrameKey key) {
    int i = key.index();
    byte[] f = frames.get(i);
    if (f == null) {
      synchronized (this) {
        f = frames.get(i);
        if (f == null) {
          encodings.incrementAndGet();
          try {
            f = key.wire().push(variant(key));
          } catch (Disconnect.Exception e) {
            f = UNENCODABLE;
          }
          frames.set(i, f);
        }
      }
    }
    if (f == UNENCODABLE) {
      throw Disconnect.INAPPROPRIATE_PROTOCOL.asException();
    }
    return f;
  }

  /** The push in the form {@code key} asks for. Called under the lock. */
  private Push variant(FrameKey key) {
    return switch (key.payload()) {
      case FULL -> push;
      case DELTA_FULL -> DeltaPayloads.full(push, key.wire());
      case DELTA -> {
        if (prevData == null) {
          yield DeltaPayloads.full(push, key.wire());
        }
        if (patch == null) {
          patch = io.rotor.delta.Fossil.create(prevData, push.getPub().getData().toByteArray());
        }
        yield push.toBuilder().setPub(DeltaPayloads.delta(push.getPub(), patch, key.wire())).build();
      }
    };
  }

  /** How many encodings this fan-out cost so far. */
  public int encodings() {
    return encodings.get();
  }
}
