package io.rotor.api;

import java.util.regex.Pattern;

/** Channel patterns of the {@code channels} API: {@code *} any run, {@code ?} one character. */
final class Glob {

  private Glob() {
  }

  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
