package io.rotor.core;

/** A point in a channel's history stream: the offset of the last publication and the stream epoch. */
public record StreamPosition(long offset, String epoch) {
  public static final StreamPosition EMPTY = new StreamPosition(0, "");
}
