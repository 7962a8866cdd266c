package io.rotor.protocol;

/**
 * What decides the bytes a subscriber receives for one fan-out: today the wire. A further dimension
 * (delta or full payload, a tags filter's verdict) becomes another component here, with its
 * {@link #index()} and {@link #COUNT} grown to match; the Hub and {@link PreparedPush} stay as
 * they are.
 */
public record FrameKey(Wire wire) {

  /** How many distinct keys exist: the size of a prepared push's frame table. */
  public static final int COUNT = Wire.ALL.size();

  private static final FrameKey[] BY_WIRE = Wire.ALL.stream().map(FrameKey::new).toArray(FrameKey[]::new);

  public static FrameKey of(Wire wire) {
    return BY_WIRE[wire.index()];
  }

  public int index() {
    return wire.index();
  }
}
