package io.holdfast.internal.crypto;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScryptParamsTest {
  @ParameterizedTest
  @CsvSource({"2, 1, 1", "32768, 8, 1", "32768, 8, 4", "1048576, 8, 1", "32768, 8, 262143"})
  void acceptsParametersScryptAndTheMemoryBoundAllow(int n, int r, int p) {
    assertThatCode(() -> new ScryptParams(n, r, p)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource({
    "0, 8, 1",
    "1, 8, 1",
    "-32768, 8, 1",
    "1000, 8, 1",
    "1024, 0, 1",
    "1024, 8, 0",
    "65536, 1, 1",
    "2097152, 8, 1",
    "32768, 8, 262144",
    "2, 4194304, 1",
  })
  void refusesParametersOutOfRange(int n, int r, int p) {
    assertThatThrownBy(() -> new ScryptParams(n, r, p))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
