package io.rotor.hooks;

import io.vertx.core.Future;

/**
 * Decides a client's subscription (Centrifugo's subscribe proxy, in process). Not asked for a
 * subscription with a subscription token, nor for a user-limited channel listing the user; a private
 * ({@code $}) channel always needs a token.
 */
@FunctionalInterface
public interface SubscribeHook {

  Future<SubscribeReply> subscribe(SubscribeEvent event);
}
