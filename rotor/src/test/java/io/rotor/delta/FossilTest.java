package io.rotor.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fossil encoder against its own decoder (centrifuge-js decodes it in the end-to-end tests). */
class FossilTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSmallOriginIsOneInsertWithTheTargetsLengthAndChecksum() {
    byte[] patch = Fossil.create(utf8("short"), utf8("hello"));
    String p = new String(patch, StandardCharsets.US_ASCII);
    assertTrue(p.startsWith("5\n5:hello"), p);
    assertTrue(p.endsWith(";"), p);
    assertArrayEquals(utf8("hello"), Fossil.apply(utf8("short"), patch));
  }

  @Test
  void oneChangedFieldInALargeDocumentGivesASmallPatch() {
    StringBuilder doc = new StringBuilder("{\"counter\":1,");
    for (int i = 0; i < 60; i++) {
      doc.append("\"field").append(i).append("\":\"value of field ").append(i).append("\",");
    }
    String a = doc.append("\"end\":true}").toString();
    String b = a.replace("\"counter\":1,", "\"counter\":2,");
    byte[] patch = Fossil.create(utf8(a), utf8(b));
    assertTrue(patch.length < 40, "patch of " + patch.length + " bytes for a " + b.length() + "-byte document");
    assertArrayEquals(utf8(b), Fossil.apply(utf8(a), patch));
  }

  @Test
  void randomEditsRoundTrip() {
    Random random = new Random(42);
    for (int round = 0; round < 500; round++) {
      byte[] origin = new byte[random.nextInt(3000)];
      random.nextBytes(origin);
      byte[] target = mutate(origin, random);
      byte[] patch = Fossil.create(origin, target);
      assertArrayEquals(target, Fossil.apply(origin, patch), "round " + round);
    }
  }

  private static byte[] mutate(byte[] origin, Random random) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int i = 0;
    while (i < origin.length) {
      int run = 1 + random.nextInt(200);
      switch (random.nextInt(4)) {
        case 0 -> i += run; // deleted
        case 1 -> {
          byte[] inserted = new byte[random.nextInt(50)];
          random.nextBytes(inserted);
          out.writeBytes(inserted);
        }
        default -> {
          int n = Math.min(run, origin.length - i);
          out.write(origin, i, n);
          i += n;
        }
      }
    }
    return out.toByteArray();
  }

  @Test
  void aPatchForAnotherOriginOrACorruptOneIsRefused() {
    byte[] a = utf8("{\"a\":\"0123456789abcdef0123456789abcdef\",\"n\":1}");
    byte[] b = utf8("{\"a\":\"0123456789abcdef0123456789abcdef\",\"n\":2}");
    byte[] patch = Fossil.create(a, b);
    assertEquals(new String(b, StandardCharsets.UTF_8), new String(Fossil.apply(a, patch), StandardCharsets.UTF_8));
    assertThrows(IllegalArgumentException.class, () -> Fossil.apply(utf8("too short"), patch));
    byte[] corrupt = patch.clone();
    corrupt[corrupt.length - 2] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> Fossil.apply(a, corrupt));
  }
}
