package io.rotor.presence;

import io.rotor.core.ClientInfo;
import io.vertx.core.Future;
import java.util.Map;

/** Who is subscribed to a channel, keyed by client id. */
public interface PresenceStore {

  Future<Void> add(String channel, ClientInfo info);

  Future<Void> remove(String channel, String clientId);

  Future<Map<String, ClientInfo>> presence(String channel);

  Future<PresenceStats> stats(String channel);
}
