package io.rotor.core;

/**
 * An error returned in {@code Reply.error}. Codes below 100 are transport-level; 100-399 are the
 * protocol's own; 400-1999 belong to applications (proxies). Temporary errors make SDKs retry.
 */
public record ClientError(int code, String message, boolean temporary) {

  public static final ClientError INTERNAL = new ClientError(100, "internal server error", true);
  public static final ClientError UNAUTHORIZED = new ClientError(101, "unauthorized", false);
  public static final ClientError UNKNOWN_CHANNEL = new ClientError(102, "unknown channel", false);
  public static final ClientError PERMISSION_DENIED = new ClientError(103, "permission denied", false);
  public static final ClientError METHOD_NOT_FOUND = new ClientError(104, "method not found", false);
  public static final ClientError ALREADY_SUBSCRIBED = new ClientError(105, "already subscribed", false);
  public static final ClientError LIMIT_EXCEEDED = new ClientError(106, "limit exceeded", false);
  public static final ClientError BAD_REQUEST = new ClientError(107, "bad request", false);
  public static final ClientError NOT_AVAILABLE = new ClientError(108, "not available", false);
  public static final ClientError TOKEN_EXPIRED = new ClientError(109, "token expired", false);
  public static final ClientError EXPIRED = new ClientError(110, "expired", false);
  public static final ClientError TOO_MANY_REQUESTS = new ClientError(111, "too many requests", true);
  public static final ClientError UNRECOVERABLE_POSITION = new ClientError(112, "unrecoverable position", false);

  /** Thrown by command handlers to answer with an error reply. */
  public static final class Exception extends RuntimeException {
    private final ClientError error;

    public Exception(ClientError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ClientError error() {
      return error;
    }
  }

  public Exception asException() {
    return new Exception(this);
  }
}
