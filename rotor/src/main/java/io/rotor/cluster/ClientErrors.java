package io.rotor.cluster;

import io.rotor.core.ClientError;
import java.util.HashMap;
import java.util.Map;

/** Protocol errors by code, to rebuild the error another node answered with. */
public final class ClientErrors {

  private static final Map<Integer, ClientError> BY_CODE = new HashMap<>();

  static {
    for (ClientError e : new ClientError[] {ClientError.INTERNAL, ClientError.UNAUTHORIZED, ClientError.UNKNOWN_CHANNEL,
        ClientError.PERMISSION_DENIED, ClientError.METHOD_NOT_FOUND, ClientError.ALREADY_SUBSCRIBED,
        ClientError.LIMIT_EXCEEDED, ClientError.BAD_REQUEST, ClientError.NOT_AVAILABLE, ClientError.TOKEN_EXPIRED,
        ClientError.EXPIRED, ClientError.TOO_MANY_REQUESTS, ClientError.UNRECOVERABLE_POSITION}) {
      BY_CODE.put(e.code(), e);
    }
  }

  private ClientErrors() {
  }

  public static ClientError byCode(int code) {
    return BY_CODE.get(code);
  }
}
