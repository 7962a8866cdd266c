package io.rotor.testing;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Hostile input for the fuzz tests: a valid frame cut anywhere, random bytes, a random run of
 * protocol tokens, or a valid frame whole (so that the fuzzing reaches the states behind a connect).
 */
public final class RandomFrames {

  private RandomFrames() {
  }

  public static String next(Random r, String[] valid, String[] tokens) {
    switch (r.nextInt(4)) {
      case 0: {
        String v = valid[r.nextInt(valid.length)];
        return v.substring(0, r.nextInt(v.length() + 1));
      }
      case 1: {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        return new String(b, StandardCharsets.ISO_8859_1);
      }
      case 2: {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(30); i > 0; i--) {
          sb.append(tokens[r.nextInt(tokens.length)]);
        }
        return sb.toString();
      }
      default:
        return valid[r.nextInt(valid.length)];
    }
  }
}
