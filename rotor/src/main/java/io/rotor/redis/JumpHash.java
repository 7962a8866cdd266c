package io.rotor.redis;

import java.nio.charset.StandardCharsets;

/** Jump consistent hash (Lamping and Veach): a key's bucket changes as little as possible with the bucket count. */
final class JumpHash {

  private JumpHash() {
  }

  static int bucket(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }

  /** 64-bit FNV-1a of the UTF-8 bytes. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
