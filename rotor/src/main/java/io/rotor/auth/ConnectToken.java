package io.rotor.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claims of a verified connection token that Rotor acts on.
 *
 * @param user      {@code sub}; "" is anonymous
 * @param expireAt  unix seconds when the connection expires ({@code expire_at}, else {@code exp}); 0 never
 * @param info      raw JSON of {@code info} (or the decoded {@code b64info}), or null
 * @param subs      server-side subscriptions: {@code channels} with defaults, then {@code subs}, in order
 * @param meta      raw JSON of {@code meta} (server-side only, never sent to clients), or null
 */
public record ConnectToken(String user, long expireAt, byte[] info, Map<String, TokenSubscription> subs, byte[] meta) {

  public ConnectToken(String user, long expireAt, byte[] info, List<String> channels) {
    this(user, expireAt, info, defaults(channels), null);
  }

  private static Map<String, TokenSubscription> defaults(List<String> channels) {
    Map<String, TokenSubscription> m = new LinkedHashMap<>();
    channels.forEach(c -> m.put(c, TokenSubscription.DEFAULT));
    return m;
  }

  public List<String> channels() {
    return List.copyOf(subs.keySet());
  }
}
