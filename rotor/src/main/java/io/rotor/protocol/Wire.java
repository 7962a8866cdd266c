package io.rotor.protocol;

import io.rotor.protocol.pb.Push;
import io.rotor.protocol.pb.Reply;
import java.util.List;

/**
 * What a transport speaks: the encoding of the protocol (JSON or Protobuf) and its direction. The
 * one place that decides how typed commands, replies and pushes look on a connection; the Client
 * works with typed messages only and never looks at bytes.
 *
 * <p>A wire is also the key of a prepared frame: subscribers on the same wire share one encoding of
 * a fan-out ({@link PreparedPush}).
 */
public interface Wire {

  /** Bidirectional JSON: WebSocket text frames, SockJS, http_stream and sse emulation. */
  Wire JSON = new JsonWire();
  /** Bidirectional Protobuf: varint-delimited messages (WebSocket binary frames, octet streams). */
  Wire PROTOBUF = new ProtobufWire();
  /** Unidirectional JSON: bare pushes, the connect reply as a connect push (uni_* transports). */
  Wire UNI_JSON = new UniJsonWire();

  /** Index of this wire among {@link #ALL}: the slot of its frame in a {@link PreparedPush}. */
  int index();

  /** {@code json} or {@code protobuf}, as Centrifugo names the protocol. */
  String protocol();

  /** True when frames are binary (WebSocket binary messages, octet streams). */
  boolean binary();

  /** Server-to-client only: the client sends its connect and nothing else. */
  boolean unidirectional();

  /** Splits and decodes one frame of commands; a malformed frame throws a 3501 disconnect. */
  List<Command> decode(byte[] frame);

  /** One encoded reply (unframed); null when this wire has no form for it. */
  byte[] reply(Reply reply);

  /** One encoded push (unframed). Throws a 3506 disconnect when the push cannot be encoded here. */
  byte[] push(Push push);

  /** The server ping. */
  byte[] ping();

  /** Joins encoded messages into one transport frame. */
  byte[] frame(List<byte[]> messages, int totalBytes);

  /** Every wire, by {@link #index()}. */
  List<Wire> ALL = List.of(JSON, PROTOBUF, UNI_JSON);
}
