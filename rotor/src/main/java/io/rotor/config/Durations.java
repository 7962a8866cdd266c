package io.rotor.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Durations written the way Centrifugo (Go's {@code time.ParseDuration}) writes them:
 * {@code 300ms}, {@code 25s}, {@code 1m30s}, {@code 720h}, {@code 1.5h}, {@code 0}. Units are
 * {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}. Configuration
 * durations cannot be negative, so a leading {@code -} is rejected.
 *
 * <p>Plain numbers (seconds) are a JSON/environment convenience handled by the loader, not here:
 * like Go, {@code parse("300")} fails with "missing unit".
 */
public final class Durations {

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private Durations() {
  }

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException when the text is not a non-negative Go-style duration; the
   *     loader turns it into a {@link ConfigException} naming the key
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing duration");
    }
    String s = text.strip();
    int i = 0;
    if (s.startsWith("+")) {
      i = 1;
    } else if (s.startsWith("-")) {
      throw new IllegalArgumentException("negative duration \"" + text + "\" is not allowed");
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw invalid(text, "empty");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(text, "expected a number at position " + (start + 1));
      }
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw invalid(text, "missing unit");
      }
      long perUnit = unitNanos(unit);
      if (perUnit == 0) {
        throw invalid(text, "unknown unit \"" + unit + "\"");
      }
      // BigDecimal: "1.5h" and "0.1s" must be exact, not binary-float approximations.
      nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number)
          .multiply(BigDecimal.valueOf(perUnit)));
    }
    // Go truncates fractions of a nanosecond; so do we.
    BigInteger whole = nanos.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    if (whole.compareTo(MAX_NANOS) > 0) {
      throw invalid(text, "out of range");
    }
    return Duration.ofNanos(whole.longValue());
  }

  /**
   * Formats a duration so that {@link #parse} (and Go) read it back exactly: {@code 0s},
   * {@code 300ms}, {@code 25s}, {@code 1m30s}, {@code 720h}, {@code 1s500ms}.
   */
  public static String format(Duration d) {
    Objects.requireNonNull(d, "duration");
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.isNegative()) {
      sb.append('-');
      d = d.negated();
    }
    long seconds = d.getSeconds();
    int nano = d.getNano();
    append(sb, seconds / 3600, "h");
    append(sb, seconds % 3600 / 60, "m");
    append(sb, seconds % 60, "s");
    append(sb, nano / 1_000_000, "ms");
    append(sb, nano / 1_000 % 1_000, "us");
    append(sb, nano % 1_000, "ns");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long amount, String unit) {
    if (amount != 0) {
      sb.append(amount).append(unit);
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Nanoseconds per unit, 0 for an unknown unit. */
  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L; // u, micro sign, Greek mu: Go accepts all three
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 0L;
    };
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid duration \"" + text + "\": " + why
        + " (write e.g. 300ms, 25s, 1m30s, 720h)");
  }
}
