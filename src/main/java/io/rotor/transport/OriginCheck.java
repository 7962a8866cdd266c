package io.rotor.transport;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code client.allowed_origins}: glob patterns matched on the lower-cased Origin header. A request
 * without Origin (a non-browser SDK) passes; with an empty list every request carrying one is refused.
 */
public final class OriginCheck {

  /** Admits every origin: for endpoints that check the origin themselves. */
  public static final OriginCheck ANY = new OriginCheck(List.of("*"));

  private final List<Pattern> patterns;

  public OriginCheck(List<String> allowed) {
    this.patterns = allowed.stream().map(OriginCheck::glob).toList();
  }

  public boolean allowed(String origin) {
    if (origin == null) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    for (Pattern p : patterns) {
      if (p.matcher(o).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '*') {
        re.append(".*");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
