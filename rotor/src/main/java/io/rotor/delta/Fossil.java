package io.rotor.delta;

import java.io.ByteArrayOutputStream;

/**
 * Fossil deltas (the format of the Fossil SCM, which Centrifugo uses for delta compression and
 * centrifuge-js decodes): a patch that turns {@code origin} into {@code target} with copy and insert
 * commands, numbers written in base 64, and a checksum of the target at the end.
 *
 * <p>Written from the published algorithm (fossil-scm.org, "delta_encoder_algorithm"): the origin
 * is cut into 16-byte blocks indexed by a rolling hash; the target is scanned with the same hash,
 * each candidate block is extended both ways, and a copy is emitted when it is cheaper than
 * inserting the bytes literally. No Maven Central library implements this format.
 */
public final class Fossil {

  private static final int BLOCK = 16;
  /** Candidate blocks tried per target position: bounds the work on repetitive input. */
  private static final int MAX_CANDIDATES = 250;
  private static final byte[] DIGITS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    for (int i = 0; i < DIGITS.length; i++) {
      VALUES[DIGITS[i]] = i;
    }
  }

  private Fossil() {
  }

  /** The patch from {@code origin} to {@code target}. */
  public static byte[] create(byte[] origin, byte[] target) {
    Out out = new Out(target.length / 4 + 32);
    int lenOut = target.length;
    int lenSrc = origin.length;
    out.number(lenOut);
    out.write('\n');
    if (lenSrc <= BLOCK) {
      out.insert(target, 0, lenOut);
      out.number(checksum(target));
      out.write(';');
      return out.toByteArray();
    }
    int nHash = lenSrc / BLOCK;
    int[] collide = new int[nHash];
    int[] landmark = new int[nHash];
    java.util.Arrays.fill(collide, -1);
    java.util.Arrays.fill(landmark, -1);
    RollingHash h = new RollingHash();
    for (int i = 0; i < lenSrc - BLOCK; i += BLOCK) {
      h.init(origin, i);
      int hv = h.bucket(nHash);
      collide[i / BLOCK] = landmark[hv];
      landmark[hv] = i / BLOCK;
    }
    int base = 0;
    while (base + BLOCK < lenOut) {
      int bestOffset = 0;
      int bestLiteral = 0;
      int bestCount = 0;
      h.init(target, base);
      int i = 0;
      while (true) {
        int limit = MAX_CANDIDATES;
        for (int block = landmark[h.bucket(nHash)]; block >= 0 && --limit > 0; block = collide[block]) {
          int src = block * BLOCK;
          // Extend the match forwards from the block start...
          int j = 0;
          for (int x = src, y = base + i; x < lenSrc && y < lenOut && origin[x] == target[y]; x++, y++) {
            j++;
          }
          j--;
          // ...and backwards over the literal bytes before it.
          int k = 1;
          while (k < src && k <= i && origin[src - k] == target[base + i - k]) {
            k++;
          }
          k--;
          int offset = src - k;
          int count = j + k + 1;
          int literal = i - k;
          int cost = digitCount(literal) + digitCount(count) + digitCount(offset) + 3;
          if (count >= cost && count > bestCount) {
            bestCount = count;
            bestOffset = offset;
            bestLiteral = literal;
          }
        }
        if (bestCount > 0) {
          if (bestLiteral > 0) {
            out.insert(target, base, bestLiteral);
            base += bestLiteral;
          }
          base += bestCount;
          out.number(bestCount);
          out.write('@');
          out.number(bestOffset);
          out.write(',');
          break;
        }
        if (base + i + BLOCK >= lenOut) {
          out.insert(target, base, lenOut - base);
          base = lenOut;
          break;
        }
        h.next(target[base + i + BLOCK]);
        i++;
      }
    }
    if (base < lenOut) {
      out.insert(target, base, lenOut - base);
    }
    out.number(checksum(target));
    out.write(';');
    return out.toByteArray();
  }

  /**
   * Applies a patch (what a client does; here for tests and checks).
   *
   * @throws IllegalArgumentException when the patch is malformed or does not fit {@code origin}
   */
  public static byte[] apply(byte[] origin, byte[] patch) {
    int[] pos = {0};
    long limit = readNumber(patch, pos);
    if (pos[0] >= patch.length || patch[pos[0]++] != '\n') {
      throw new IllegalArgumentException("size not terminated by a newline");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 1 << 20));
    long total = 0;
    while (pos[0] < patch.length) {
      long count = readNumber(patch, pos);
      if (pos[0] >= patch.length) {
        break;
      }
      byte op = patch[pos[0]++];
      switch (op) {
        case '@' -> {
          long offset = readNumber(patch, pos);
          if (pos[0] < patch.length && patch[pos[0]++] != ',') {
            throw new IllegalArgumentException("copy not terminated by ','");
          }
          total += count;
          if (total > limit || offset + count > origin.length) {
            throw new IllegalArgumentException("copy out of range");
          }
          out.write(origin, (int) offset, (int) count);
        }
        case ':' -> {
          total += count;
          if (total > limit || pos[0] + count > patch.length) {
            throw new IllegalArgumentException("insert out of range");
          }
          out.write(patch, pos[0], (int) count);
          pos[0] += (int) count;
        }
        case ';' -> {
          byte[] result = out.toByteArray();
          if (count != (checksum(result) & 0xffffffffL) || total != limit) {
            throw new IllegalArgumentException("bad checksum or size");
          }
          return result;
        }
        default -> throw new IllegalArgumentException("unknown delta operator");
      }
    }
    throw new IllegalArgumentException("unterminated delta");
  }

  private static long readNumber(byte[] in, int[] pos) {
    long v = 0;
    while (pos[0] < in.length) {
      int b = in[pos[0]];
      int c = b >= 0 && b < 128 ? VALUES[b] : -1;
      if (c < 0) {
        break;
      }
      v = (v << 6) + c;
      pos[0]++;
    }
    return v;
  }

  /** Fossil's 32-bit checksum: four interleaved byte sums, then the tail. */
  static int checksum(byte[] a) {
    int sum0 = 0;
    int sum1 = 0;
    int sum2 = 0;
    int sum = 0;
    int z = 0;
    int n = a.length;
    while (n >= 16) {
      sum0 += (a[z] & 0xff) + (a[z + 4] & 0xff) + (a[z + 8] & 0xff) + (a[z + 12] & 0xff);
      sum1 += (a[z + 1] & 0xff) + (a[z + 5] & 0xff) + (a[z + 9] & 0xff) + (a[z + 13] & 0xff);
      sum2 += (a[z + 2] & 0xff) + (a[z + 6] & 0xff) + (a[z + 10] & 0xff) + (a[z + 14] & 0xff);
      sum += (a[z + 3] & 0xff) + (a[z + 7] & 0xff) + (a[z + 11] & 0xff) + (a[z + 15] & 0xff);
      z += 16;
      n -= 16;
    }
    while (n >= 4) {
      sum0 += a[z] & 0xff;
      sum1 += a[z + 1] & 0xff;
      sum2 += a[z + 2] & 0xff;
      sum += a[z + 3] & 0xff;
      z += 4;
      n -= 4;
    }
    sum += (sum2 << 8) + (sum1 << 16) + (sum0 << 24);
    switch (n) {
      case 3 -> sum += ((a[z + 2] & 0xff) << 8) + ((a[z + 1] & 0xff) << 16) + ((a[z] & 0xff) << 24);
      case 2 -> sum += ((a[z + 1] & 0xff) << 16) + ((a[z] & 0xff) << 24);
      case 1 -> sum += (a[z] & 0xff) << 24;
      default -> {
      }
    }
    return sum;
  }

  /** Digits of {@code v} in base 64. */
  private static int digitCount(int v) {
    int i = 1;
    for (long x = 64; v >= x; x <<= 6) {
      i++;
    }
    return i;
  }

  /** The rolling hash over a 16-byte window (Adler-like, 16-bit halves). */
  private static final class RollingHash {
    private int a;
    private int b;
    private int i;
    private final byte[] window = new byte[BLOCK];

    void init(byte[] z, int pos) {
      int x;
      int sa = 0;
      int sb = 0;
      for (int k = 0; k < BLOCK; k++) {
        x = z[pos + k] & 0xff;
        sa = (sa + x) & 0xffff;
        sb = (sb + (BLOCK - k) * x) & 0xffff;
        window[k] = (byte) x;
      }
      a = sa;
      b = sb;
      i = 0;
    }

    void next(byte c) {
      int old = window[i] & 0xff;
      window[i] = c;
      i = (i + 1) & (BLOCK - 1);
      a = (a - old + (c & 0xff)) & 0xffff;
      b = (b - BLOCK * old + a) & 0xffff;
    }

    int bucket(int n) {
      long v = (a & 0xffffL) | ((b & 0xffffL) << 16);
      return (int) (v % n);
    }
  }

  /** The patch being written. */
  private static final class Out extends ByteArrayOutputStream {
    Out(int size) {
      super(size);
    }

    void number(long v) {
      if (v == 0) {
        write('0');
        return;
      }
      byte[] tmp = new byte[12];
      int n = 0;
      long u = v & 0xffffffffL;
      while (u > 0) {
        tmp[n++] = DIGITS[(int) (u & 0x3f)];
        u >>>= 6;
      }
      while (n > 0) {
        write(tmp[--n]);
      }
    }

    void insert(byte[] src, int from, int count) {
      number(count);
      write(':');
      write(src, from, count);
    }
  }
}
