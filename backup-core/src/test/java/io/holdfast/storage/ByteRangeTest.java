package io.holdfast.storage;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void rejectsNegativeOffsetsAndLengths() {
    assertThatThrownBy(() -> new ByteRange(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fitsAnObjectItEndsWithin() {
    assertThatCode(() -> new ByteRange(0, 10).requireWithin("k", 10)).doesNotThrowAnyException();
    assertThatCode(() -> new ByteRange(10, 0).requireWithin("k", 10)).doesNotThrowAnyException();
  }

  @Test
  void doesNotFitPastTheEndEvenWhereOffsetPlusLengthOverflows() {
    assertThatThrownBy(() -> new ByteRange(5, 6).requireWithin("k", 10))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("k");
    assertThatThrownBy(() -> new ByteRange(Long.MAX_VALUE, 1).requireWithin("k", 10))
        .isInstanceOf(EOFException.class);
  }
}
