package io.rotor.proxy;

import io.vertx.core.MultiMap;
import java.util.Map;

/** What a proxy call tells the backend about the connection it is made for. */
public interface ProxyClient {

  String id();

  String user();

  /** The transport name: websocket, sockjs, http_stream, ... */
  String transportName();

  /** The protocol of the connection: {@code json} or {@code protobuf}. */
  String protocol();

  /** Headers of the HTTP request that opened the connection. */
  MultiMap requestHeaders();

  /** The connect command's {@code headers} (headers emulation). */
  Map<String, String> emulatedHeaders();
}
