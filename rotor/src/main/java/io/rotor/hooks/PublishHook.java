package io.rotor.hooks;

import io.vertx.core.Future;

/**
 * Decides a client's publication (Centrifugo's publish proxy, in process): it replaces the channel
 * permission check, and may replace the data or keep the publication out of history.
 */
@FunctionalInterface
public interface PublishHook {

  Future<PublishReply> publish(PublishEvent event);
}
