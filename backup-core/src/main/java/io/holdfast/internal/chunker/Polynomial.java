package io.holdfast.internal.chunker;

import java.util.Random;

/**
 * Arithmetic on polynomials over GF(2) held in a {@code long}: bit {@code i} is the coefficient of
 * {@code x^i}, so a value can have degree at most 63. All values are treated as unsigned.
 *
 * <p>This is what the chunker needs and no more: degree, remainder, product modulo a polynomial, an
 * irreducibility test, a random irreducible polynomial of degree {@value #CHUNKER_DEGREE} (the kind
 * restic stores in a repository's {@code config} as {@code chunker_polynomial}) and the hex text
 * form of that field.
 *
 * <p>Stateless and thread-safe. Bad arguments raise {@link IllegalArgumentException} (its subclass
 * {@link NumberFormatException} for bad hex text); dividing by the zero polynomial raises {@link
 * ArithmeticException}.
 */
public final class Polynomial {

  /** The degree of every polynomial restic's chunker uses. */
  public static final int CHUNKER_DEGREE = 53;

  /** The polynomial {@code x}. */
  private static final long X = 0b10;

  /** Upper bound on draws in {@link #randomIrreducible}; about 1 in 27 draws succeeds. */
  private static final int MAX_DRAWS = 1_000_000;

  private Polynomial() {}

  /** The degree of {@code p}, or -1 for the zero polynomial. */
  public static int degree(long p) {
    return 63 - Long.numberOfLeadingZeros(p);
  }

  /**
   * The remainder of {@code a} divided by {@code m}.
   *
   * @throws ArithmeticException if {@code m} is zero
   */
  public static long mod(long a, long m) {
    if (m == 0) {
      throw new ArithmeticException("division by the zero polynomial");
    }
    int dm = degree(m);
    for (int da = degree(a); da >= dm; da = degree(a)) {
      a ^= m << (da - dm);
    }
    return a;
  }

  /**
   * The product {@code a * b}.
   *
   * @throws IllegalArgumentException if the product has degree above 63 and so does not fit
   */
  public static long multiply(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    if (degree(a) + degree(b) > 63) {
      throw new IllegalArgumentException(
          "product of degree " + (degree(a) + degree(b)) + " does not fit in 64 bits");
    }
    long product = 0;
    for (; b != 0; b &= b - 1) {
      product ^= a << Long.numberOfTrailingZeros(b);
    }
    return product;
  }

  /**
   * The product {@code a * b} reduced modulo {@code m}; works for any {@code m} of degree up to 63
   * without overflow, because the running product is reduced after every shift.
   *
   * @throws ArithmeticException if {@code m} is zero
   */
  public static long mulMod(long a, long b, long m) {
    a = mod(a, m);
    b = mod(b, m);
    int dm = degree(m);
    long result = 0;
    for (int bit = degree(b); bit >= 0; bit--) {
      boolean overflows = dm > 0 && (result >>> (dm - 1) & 1) != 0;
      result <<= 1;
      if (overflows) {
        result ^= m;
      }
      if ((b >>> bit & 1) != 0) {
        result ^= a;
      }
    }
    return result;
  }

  /** The greatest common divisor of {@code a} and {@code b}; {@code gcd(0, 0)} is 0. */
  public static long gcd(long a, long b) {
    while (b != 0) {
      long r = mod(a, b);
      a = b;
      b = r;
    }
    return a;
  }

  /**
   * Whether {@code p} is irreducible, by Ben-Or's test: {@code p} of degree {@code d} is irreducible
   * iff {@code gcd(p, x^(2^i) - x mod p) == 1} for every {@code i} in {@code 1..d/2}, since any
   * irreducible factor of degree {@code k} divides {@code x^(2^k) - x}. Constants are not
   * irreducible.
   */
  public static boolean isIrreducible(long p) {
    int d = degree(p);
    if (d < 1) {
      return false;
    }
    long power = X; // x^(2^i) mod p, squared once per round
    for (int i = 1; i <= d / 2; i++) {
      power = mulMod(power, power, p);
      if (gcd(p, power ^ X) != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * A uniformly drawn irreducible polynomial of degree exactly {@value #CHUNKER_DEGREE}, as restic
   * makes one for a new repository. Pass a {@link java.security.SecureRandom} for a real
   * repository: the polynomial is what keeps chunk boundaries unpredictable to others.
   *
   * @throws IllegalStateException if {@code random} yields no irreducible polynomial in a million
   *     draws, which only a broken source of randomness does
   */
  public static long randomIrreducible(Random random) {
    long lowBits = (1L << CHUNKER_DEGREE) - 1;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      // The constant term must be 1, otherwise x divides the polynomial.
      long candidate = (random.nextLong() & lowBits) | 1L << CHUNKER_DEGREE | 1L;
      if (isIrreducible(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no irreducible polynomial in " + MAX_DRAWS + " draws");
  }

  /**
   * Parses the text form used by restic's {@code config} field {@code chunker_polynomial}: hex
   * digits without a {@code 0x} prefix, e.g. {@code "25b468838dcb75"}. Either letter case is
   * accepted.
   *
   * @throws NumberFormatException if {@code hex} is not 1 to 16 hex digits
   */
  public static long fromHex(String hex) {
    if (hex.isEmpty() || hex.length() > 16 || hex.charAt(0) == '+' || hex.charAt(0) == '-') {
      throw new NumberFormatException("not a hex polynomial: \"" + hex + "\"");
    }
    return Long.parseUnsignedLong(hex, 16);
  }

  /** The text form restic writes: lowercase hex digits, no prefix, no leading zeros. */
  public static String toHex(long p) {
    return Long.toHexString(p);
  }
}
