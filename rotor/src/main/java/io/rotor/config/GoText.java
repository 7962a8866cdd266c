package io.rotor.config;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Scalars written the way Centrifugo reads them from the environment (Go's {@code strconv}):
 * booleans as {@code ParseBool} takes them, integers as {@code ParseInt(s, 0, 64)} does (a base
 * prefix {@code 0x}, {@code 0o}, {@code 0b}, or a leading {@code 0} for octal, and {@code _}
 * between digits), so a value that works for Centrifugo means the same here.
 */
final class GoText {

  private GoText() {
  }

  /** {@code 1 t T TRUE true True} and {@code 0 f F FALSE false False}; anything else is an error. */
  static boolean parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new IllegalArgumentException(
          "expected a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False)");
    };
  }

  /** An int the way Go's {@code strconv.ParseInt(s, 0, 32)} reads it; out of range is an error. */
  static int parseInt(String s) {
    String body = s;
    boolean negative = false;
    if (body.startsWith("+") || body.startsWith("-")) {
      negative = body.charAt(0) == '-';
      body = body.substring(1);
    }
    int radix = 10;
    boolean prefixed = false;
    String lower = body.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      radix = 16;
      prefixed = true;
    } else if (lower.startsWith("0o")) {
      radix = 8;
      prefixed = true;
    } else if (lower.startsWith("0b")) {
      radix = 2;
      prefixed = true;
    } else if (body.length() > 1 && body.startsWith("0")) {
      radix = 8; // Go: a leading 0 means octal with base 0
      body = body.substring(1);
    }
    if (prefixed) {
      body = body.substring(2);
    }
    // Go allows "_" only between digits (or right after a base prefix) when the base is implied.
    if (body.isEmpty() || body.startsWith("_") && !prefixed || body.endsWith("_") || body.contains("__")) {
      throw new IllegalArgumentException("expected an integer");
    }
    String digits = body.replace("_", "");
    if (digits.startsWith("+") || digits.startsWith("-")) {
      throw new IllegalArgumentException("expected an integer");
    }
    try {
      BigInteger v = new BigInteger(digits, radix);
      if (negative) {
        v = v.negate();
      }
      if (v.bitLength() > 31) {
        throw new IllegalArgumentException("integer " + s + " is out of range");
      }
      return v.intValueExact();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer");
    }
  }
}
