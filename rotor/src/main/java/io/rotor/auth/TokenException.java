package io.rotor.auth;

/** Why a token was refused: expired tokens can be refreshed, invalid ones cannot. */
public final class TokenException extends RuntimeException {

  public enum Kind { EXPIRED, INVALID }

  private final Kind kind;

  public TokenException(Kind kind, String message) {
    this(kind, message, null);
  }

  public TokenException(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean expired() {
    return kind == Kind.EXPIRED;
  }
}
