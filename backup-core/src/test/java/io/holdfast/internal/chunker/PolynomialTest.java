package io.holdfast.internal.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolynomialTest {

  /** The example polynomial in restic's design document. */
  private static final long RESTIC_EXAMPLE = 0x25b468838dcb75L;

  /** x^2 + x + 1, the only irreducible polynomial of degree 2. */
  private static final long X2_X_1 = 0b111;

  @Test
  void degreeIsTheHighestSetBit() {
    assertThat(Polynomial.degree(0)).isEqualTo(-1);
    assertThat(Polynomial.degree(1)).isEqualTo(0);
    assertThat(Polynomial.degree(X2_X_1)).isEqualTo(2);
    assertThat(Polynomial.degree(RESTIC_EXAMPLE)).isEqualTo(53);
    assertThat(Polynomial.degree(-1L)).isEqualTo(63);
  }

  @Test
  void modLeavesTheRemainderOfADivision() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      long quotient = random.nextLong() >>> 55;
      long remainder = random.nextLong() >>> 11; // degree below 53
      long dividend = Polynomial.multiply(quotient, RESTIC_EXAMPLE) ^ remainder;
      assertThat(Polynomial.mod(dividend, RESTIC_EXAMPLE)).isEqualTo(remainder);
    }
  }

  @Test
  void modByZeroIsRefused() {
    assertThatThrownBy(() -> Polynomial.mod(5, 0)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void multiplyIsCarryLess() {
    // (x + 1)^2 = x^2 + 1 over GF(2)
    assertThat(Polynomial.multiply(0b11, 0b11)).isEqualTo(0b101);
    assertThat(Polynomial.multiply(X2_X_1, 0)).isZero();
    assertThatThrownBy(() -> Polynomial.multiply(1L << 40, 1L << 24))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mulModEqualsTheReducedProduct() {
    Random random = new Random(11);
    for (int i = 0; i < 1000; i++) {
      long a = random.nextLong() >>> 33;
      long b = random.nextLong() >>> 33;
      assertThat(Polynomial.mulMod(a, b, RESTIC_EXAMPLE))
          .isEqualTo(Polynomial.mod(Polynomial.multiply(a, b), RESTIC_EXAMPLE));
    }
  }

  @Test
  void mulModWithADegree63ModulusObeysTheFieldLaws() {
    long m = 1L << 63 | 0b11011; // x^63 + x^4 + x^3 + x + 1
    Random random = new Random(13);
    for (int i = 0; i < 200; i++) {
      long a = random.nextLong() >>> 1;
      long b = random.nextLong() >>> 1;
      long c = random.nextLong() >>> 1;
      assertThat(Polynomial.mulMod(a, b, m)).isEqualTo(Polynomial.mulMod(b, a, m));
      assertThat(Polynomial.mulMod(a, b ^ c, m))
          .isEqualTo(Polynomial.mulMod(a, b, m) ^ Polynomial.mulMod(a, c, m));
      assertThat(Polynomial.mulMod(Polynomial.mulMod(a, b, m), c, m))
          .isEqualTo(Polynomial.mulMod(a, Polynomial.mulMod(b, c, m), m));
      assertThat(Polynomial.degree(Polynomial.mulMod(a, b, m))).isLessThan(63);
    }
  }

  @Test
  void gcdFindsTheCommonFactor() {
    long a = Polynomial.multiply(X2_X_1, 0b1011); // times x^3 + x + 1
    long b = Polynomial.multiply(X2_X_1, 0b1101); // times x^3 + x^2 + 1
    assertThat(Polynomial.gcd(a, b)).isEqualTo(X2_X_1);
    assertThat(Polynomial.gcd(0b1011, 0b1101)).isEqualTo(1);
  }

  @Test
  void resticsExamplePolynomialIsIrreducible() {
    assertThat(Polynomial.isIrreducible(RESTIC_EXAMPLE)).isTrue();
  }

  @Test
  void productsAndConstantsAreNotIrreducible() {
    assertThat(Polynomial.isIrreducible(Polynomial.multiply(X2_X_1, RESTIC_EXAMPLE))).isFalse();
    assertThat(Polynomial.isIrreducible(Polynomial.multiply(X2_X_1, X2_X_1))).isFalse();
    long factor = Polynomial.randomIrreducible(new Random(3)) >>> 27; // degree 26, maybe reducible
    assertThat(Polynomial.isIrreducible(Polynomial.multiply(factor, 0b1011))).isFalse();
    assertThat(Polynomial.isIrreducible(RESTIC_EXAMPLE << 1)).isFalse(); // divisible by x
    assertThat(Polynomial.isIrreducible(0)).isFalse();
    assertThat(Polynomial.isIrreducible(1)).isFalse();
  }

  @Test
  void irreducibilityAgreesWithTrialDivisionUpToDegree12() {
    for (long p = 2; p < 1 << 13; p++) {
      assertThat(Polynomial.isIrreducible(p)).as("p = %s", Long.toBinaryString(p))
          .isEqualTo(hasNoFactorByTrialDivision(p));
    }
  }

  @Test
  void countsOfIrreduciblePolynomialsPerDegreeAreTheKnownOnes() {
    // OEIS A001037 for degrees 1..12: binary irreducible polynomials of degree n.
    int[] expected = {2, 1, 2, 3, 6, 9, 18, 30, 56, 99, 186, 335};
    int[] counted = new int[expected.length];
    for (long p = 2; p < 1 << 13; p++) {
      if (Polynomial.isIrreducible(p)) {
        counted[Polynomial.degree(p) - 1]++;
      }
    }
    assertThat(counted).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 42, 12345, -9})
  void randomIrreducibleHasDegree53AndIsIrreducible(long seed) {
    long p = Polynomial.randomIrreducible(new Random(seed));
    assertThat(Polynomial.degree(p)).isEqualTo(53);
    assertThat(Polynomial.isIrreducible(p)).isTrue();
    assertThat(hasNoSmallFactor(p, 16)).isTrue();
  }

  @Test
  void randomIrreducibleDependsOnlyOnTheRandomSource() {
    assertThat(Polynomial.randomIrreducible(new Random(99)))
        .isEqualTo(Polynomial.randomIrreducible(new Random(99)));
    assertThat(Polynomial.randomIrreducible(new Random(1)))
        .isNotEqualTo(Polynomial.randomIrreducible(new Random(2)));
  }

  @Test
  void hexFormIsResticsConfigField() {
    assertThat(Polynomial.fromHex("25b468838dcb75")).isEqualTo(RESTIC_EXAMPLE);
    assertThat(Polynomial.fromHex("25B468838DCB75")).isEqualTo(RESTIC_EXAMPLE);
    assertThat(Polynomial.toHex(RESTIC_EXAMPLE)).isEqualTo("25b468838dcb75");
    long random = Polynomial.randomIrreducible(new Random(5));
    assertThat(Polynomial.fromHex(Polynomial.toHex(random))).isEqualTo(random);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0x25b468838dcb75", "-1", "+1", "xyz", "12345678901234567"})
  void malformedHexIsRefused(String text) {
    assertThatThrownBy(() -> Polynomial.fromHex(text)).isInstanceOf(NumberFormatException.class);
  }

  private static boolean hasNoFactorByTrialDivision(long p) {
    return Polynomial.degree(p) >= 1 && hasNoSmallFactor(p, Polynomial.degree(p) / 2);
  }

  /** Whether no polynomial of degree 1 to {@code maxDegree} divides {@code p}. */
  private static boolean hasNoSmallFactor(long p, int maxDegree) {
    for (long q = 2; q < 1L << (maxDegree + 1); q++) {
      if (Polynomial.mod(p, q) == 0) {
        return false;
      }
    }
    return true;
  }
}
