package io.rotor.hooks;

import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * The connection a hook decides for.
 *
 * @param client the client id
 * @param user the authenticated user ("" before connect and for anonymous clients)
 * @param transport websocket, sockjs, http_stream, sse, uni_websocket, ...
 * @param protocol json or protobuf
 * @param headers every header of the HTTP request that opened the connection (cookies included)
 * @param emulatedHeaders the {@code headers} the SDK sent in its connect command (headers emulation)
 */
public record ClientContext(String client, String user, String transport, String protocol, MultiMap headers,
    Map<String, String> emulatedHeaders) {
}
