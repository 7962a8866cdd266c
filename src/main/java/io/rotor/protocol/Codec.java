package io.rotor.protocol;

import io.rotor.core.ClientError;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.Publication;
import java.util.List;

/**
 * One wire encoding of protocol v2, chosen per connection: how replies and pushes are encoded and
 * how the messages of one event-loop turn are framed. The handlers work on the JSON tree form of
 * results whatever the encoding; only Protobuf connections pay for a conversion.
 */
public interface Codec {

  Codec JSON = new JsonFormat();
  Codec PROTOBUF = new ProtobufCodec();

  /** {@code json} or {@code protobuf}, as Centrifugo names the protocol. */
  String name();

  /** True when frames are binary (WebSocket binary messages, octet streams). */
  boolean binary();

  /** Splits and decodes one frame of commands; a malformed frame throws a 3501 disconnect. */
  List<Command> decodeFrame(byte[] frame);

  byte[] reply(long id, String key, JsonNode result);

  byte[] error(long id, ClientError error);

  /** A push; channel is left out when empty. */
  byte[] push(String channel, String key, JsonNode body);

  /** A publication push; {@code jsonFrame} is the fan-out's shared JSON encoding, or null. */
  byte[] publicationPush(String channel, Publication pub, byte[] jsonFrame);

  /** A join or leave push, from the fan-out's shared JSON encoding. */
  byte[] joinLeavePush(byte[] jsonFrame);

  /** The server ping: an empty Reply. */
  byte[] ping();

  /** Joins the messages of one turn into one transport frame. */
  byte[] frame(List<byte[]> messages, int totalBytes);
}
