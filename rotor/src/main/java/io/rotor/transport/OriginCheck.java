package io.rotor.transport;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Locale;

/**
 * {@code client.allowed_origins}: glob patterns ({@code *} matches anything) matched on the
 * lower-cased Origin header. A request without Origin (a non-browser SDK) passes; with an empty
 * list every request carrying one is refused. Every transport calls it before it does anything
 * else: {@link #allowed(HttpServerRequest)} to decide, {@link #cors} to answer browsers.
 */
public final class OriginCheck {

  /** Admits every origin: for endpoints that check the origin themselves. */
  public static final OriginCheck ANY = new OriginCheck(List.of("*"));

  /** Longer Origin headers are refused outright (a real origin is scheme://host:port). */
  static final int MAX_ORIGIN_LENGTH = 1024;

  private final List<String> patterns;

  public OriginCheck(List<String> allowed) {
    this.patterns = allowed.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
  }

  public boolean allowed(String origin) {
    if (origin == null) {
      return true;
    }
    if (origin.length() > MAX_ORIGIN_LENGTH) {
      return false;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    for (String p : patterns) {
      if (globMatches(p, o)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the request's Origin header (if any) is allowed. */
  public boolean allowed(HttpServerRequest request) {
    return allowed(request.getHeader(HttpHeaders.ORIGIN));
  }

  /**
   * Adds the CORS response headers for a request whose Origin is allowed: the origin itself (never
   * {@code *}), credentials, and the requested headers echoed; {@code Vary: Origin} always. Returns
   * false, adding no Allow-* header, when the Origin is not allowed (the caller answers 403).
   */
  public boolean cors(HttpServerRequest request, HttpServerResponse response) {
    response.headers().add(HttpHeaders.VARY, "Origin");
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      return true;
    }
    if (!allowed(origin)) {
      return false;
    }
    response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    String requested = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requested != null) {
      response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, requested);
    }
    return true;
  }

  /**
   * Whole-string glob match where {@code *} matches any run of characters. Greedy with one
   * backtrack point, so O(pattern x text) at worst: a regex would backtrack exponentially on
   * patterns such as {@code *a*a*a*b} against a long hostile Origin.
   */
  static boolean globMatches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
