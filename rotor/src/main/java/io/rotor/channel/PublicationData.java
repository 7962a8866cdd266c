package io.rotor.channel;

import io.rotor.config.ChannelsOptions;
import io.rotor.core.ClientError;
import io.rotor.protocol.JsonCodec;
import io.rotor.protocol.JsonMessages;
import java.io.IOException;

/**
 * {@code publication_data_format}, as Centrifugo v6 applies it to every publish (client, proxy
 * result, server API): {@code ""} refuses empty data, {@code json} requires one JSON value,
 * {@code json_object} a JSON object, {@code binary} allows anything, empty included. Refused data is
 * answered with 107 bad request.
 */
public final class PublicationData {

  private PublicationData() {
  }

  /** Checks data published to a channel; throws a 107 ClientError when it does not fit. */
  public static void check(ChannelsOptions channels, ResolvedChannel ch, byte[] data) {
    String format = channels.effectivePublicationDataFormat(ch.options());
    boolean ok = switch (format) {
      case "binary" -> true;
      case "json" -> data != null && JsonMessages.isJson(data);
      case "json_object" -> data != null && isJsonObject(data);
      default -> data != null && data.length > 0;
    };
    if (!ok) {
      throw ClientError.BAD_REQUEST.asException();
    }
  }

  private static boolean isJsonObject(byte[] data) {
    if (!JsonMessages.isJson(data)) {
      return false;
    }
    try {
      return JsonCodec.MAPPER.readTree(data).isObject();
    } catch (IOException e) {
      return false;
    }
  }
}
