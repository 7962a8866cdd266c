package io.rotor.core;

/** Codes of the {@code unsubscribe} push: 2500 and above make the client resubscribe. */
public record Unsubscribe(int code, String reason) {
  public static final Unsubscribe SERVER = new Unsubscribe(2000, "server unsubscribe");
  public static final Unsubscribe INSUFFICIENT_STATE = new Unsubscribe(2500, "insufficient state");
  public static final Unsubscribe EXPIRED = new Unsubscribe(2501, "subscription expired");
}
