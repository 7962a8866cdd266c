package io.rotor.protocol;

/**
 * What decides the bytes a subscriber receives for one fan-out: the wire, and which payload the
 * subscriber takes ({@link Payload}). {@link PreparedPush} keeps one lazily encoded frame per key,
 * shared by every subscriber of that key. A tags filter's verdict needs no key of its own: a
 * filtered-out subscriber takes no frame at all.
 */
public record FrameKey(Wire wire, Payload payload) {

  /** The payload a subscriber takes of a publication. */
  public enum Payload {
    /** The publication as published: subscribers without delta compression, and every non-publication push. */
    FULL,
    /**
     * The full payload for a subscriber that negotiated delta compression: on JSON wires the data
     * is a JSON string holding the payload (centrifuge-js parses it and keeps it as the delta base).
     */
    DELTA_FULL,
    /** A fossil patch against the channel's previous publication, {@code delta: true}. */
    DELTA
  }

  private static final int WIRES = Wire.ALL.size();

  /** How many distinct keys exist: the size of a prepared push's frame table. */
  public static final int COUNT = WIRES * Payload.values().length;

  private static final FrameKey[] ALL = new FrameKey[COUNT];

  static {
    for (Payload p : Payload.values()) {
      for (Wire w : Wire.ALL) {
        FrameKey k = new FrameKey(w, p);
        ALL[k.index()] = k;
      }
    }
  }

  public static FrameKey of(Wire wire) {
    return ALL[wire.index()];
  }

  public static FrameKey of(Wire wire, Payload payload) {
    return ALL[payload.ordinal() * WIRES + wire.index()];
  }

  public int index() {
    return payload.ordinal() * WIRES + wire.index();
  }
}
