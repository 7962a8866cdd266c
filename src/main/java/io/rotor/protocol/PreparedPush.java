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
 */
public final class PreparedPush {

  /** Marks a key whose encoding failed (bytes a JSON wire cannot carry): 3506 for its subscribers. */
  private static final byte[] UNENCODABLE = new byte[0];

  private final Push push;
  private final AtomicReferenceArray<byte[]> frames = new AtomicReferenceArray<>(FrameKey.COUNT);
  private final AtomicInteger encodings = new AtomicInteger();

  public PreparedPush(Push push) {
    this.push = push;
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
            f = key.wire().push(push);
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

  /** How many encodings this fan-out cost so far. */
  public int encodings() {
    return encodings.get();
  }
}
