package io.rotor.history;

import java.security.SecureRandom;

/** Stream epochs: short random strings that name one incarnation of a stream. */
public final class Epochs {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private Epochs() {
  }

  public static String next() {
    char[] c = new char[8];
    for (int i = 0; i < c.length; i++) {
      c[i] = LETTERS.charAt(RANDOM.nextInt(LETTERS.length()));
    }
    return new String(c);
  }
}
