/**
 * Java hooks of an embedding application: the connect, subscribe, publish and RPC decisions that the
 * proxies send to a backend, made in process with typed values. A hook answers like a proxy backend:
 * it completes with a reply, or fails with {@link io.rotor.core.ClientError.Exception} (code
 * 400-1999: the client gets that error) or {@link io.rotor.core.Disconnect.Exception} (code
 * 4000-4999: the connection is closed with it). Any other failure, a code outside those ranges, or no
 * answer within the proxy timeout of its kind ({@code client.proxy.connect.timeout},
 * {@code channel.proxy.subscribe.timeout}, {@code channel.proxy.publish.timeout},
 * {@code rpc.proxy.timeout}) gives the client 100 internal error (temporary: SDKs retry).
 *
 * <p>Hooks run on the event loop of the connection they decide for: never block there (use
 * {@code executeBlocking} or a non-blocking client for a database).
 */
package io.rotor.hooks;
