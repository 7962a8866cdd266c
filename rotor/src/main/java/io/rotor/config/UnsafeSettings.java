package io.rotor.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings that are fine for trying Rotor out and unsafe in production: the example secrets of
 * conf/config.json (every value there starts with {@code change-me}) and the insecure modes. The
 * launcher prints one line for each at startup, so nobody ships them unknowingly.
 */
public final class UnsafeSettings {

  /** The prefix of every example secret in conf/config.json and the docs. */
  static final String EXAMPLE_SECRET_PREFIX = "change-me";

  private UnsafeSettings() {
  }

  public static List<String> find(RotorOptions o) {
    List<String> out = new ArrayList<>();
    example(out, "client.token.hmac_secret_key", o.getClient().getToken().getHmacSecretKey(),
        "anyone who read it can sign connection tokens");
    example(out, "http_api.key", o.getHttpApi().getKey(), "anyone who read it can publish and disconnect");
    if (o.getAdmin().isEnabled()) {
      example(out, "admin.password", o.getAdmin().getPassword(), "anyone who read it can log in to the admin UI");
      example(out, "admin.secret", o.getAdmin().getSecret(), "anyone who read it can forge admin sessions");
      if (o.getAdmin().isInsecure()) {
        out.add("admin.insecure is on: the admin UI and its API need no password");
      }
    }
    if (o.getClient().isInsecure()) {
      out.add("client.insecure is on: clients connect, subscribe and publish without tokens or permission checks");
    }
    if (o.getHttpApi().isInsecure()) {
      out.add("http_api.insecure is on: the server API needs no key");
    }
    return out;
  }

  private static void example(List<String> out, String key, String value, String risk) {
    if (value != null && value.startsWith(EXAMPLE_SECRET_PREFIX)) {
      out.add(key + " is the example value \"" + value + "\" from conf/config.json: " + risk
          + "; set your own (scripts/rotor genconfig writes a config with fresh secrets)");
    }
  }
}
