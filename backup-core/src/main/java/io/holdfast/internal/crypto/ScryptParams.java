package io.holdfast.internal.crypto;

/**
 * Cost parameters of scrypt, the function that turns a password into the key that opens a key file:
 * CPU/memory cost {@code n}, block size {@code r} and parallelism {@code p}. scrypt needs {@code
 * 128 * n * r} bytes of memory and time proportional to {@code n * r * p}.
 *
 * <p>Checked when built: {@code n} a power of two greater than 1 (below 65536 if {@code r} is 1, as
 * RFC 7914 requires), {@code r} and {@code p} at least 1 with {@code 1024 * r * p} below 2^31
 * (Bouncy Castle's bound), and at most 1 GiB of memory, so that a hostile key file cannot make
 * opening it exhaust the heap. Key files of restic 0.14 (it calibrates, e.g. to N=32768, r=8, p=4)
 * are well inside these bounds.
 */
public record ScryptParams(int n, int r, int p) {
  /**
   * N=32768, r=8, p=1: 32 MiB, about 0.2 s with Bouncy Castle on a current x86 core (0.6 s for a
   * JVM's first run). Key files made by Holdfast use this unless told otherwise.
   */
  public static final ScryptParams DEFAULT = new ScryptParams(32768, 8, 1);

  private static final long MAX_MEMORY = 1L << 30;

  /**
   * @throws IllegalArgumentException if a parameter is out of the ranges above
   */
  public ScryptParams {
    if (n <= 1 || (n & (n - 1)) != 0) {
      throw new IllegalArgumentException("scrypt N must be a power of two greater than 1: " + n);
    }
    if (r < 1 || p < 1) {
      throw new IllegalArgumentException("scrypt r and p must be at least 1: r=" + r + ", p=" + p);
    }
    // RFC 7914: N < 2^(128 * r / 8); only r = 1 can reach that bound with an int N.
    if (r == 1 && n >= 1 << 16) {
      throw new IllegalArgumentException("scrypt N must be below 65536 when r is 1: " + n);
    }
    // Bouncy Castle's bound, tighter than RFC 7914's p <= (2^32 - 1) * 32 / (128 * r).
    if (1024L * r * p > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("scrypt p is too large for r=" + r + ": " + p);
    }
    if (128L * n * r > MAX_MEMORY) {
      throw new IllegalArgumentException(
          "scrypt N=" + n + ", r=" + r + " needs more than 1 GiB of memory");
    }
  }
}
