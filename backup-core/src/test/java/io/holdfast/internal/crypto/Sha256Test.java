package io.holdfast.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {
  @Test
  void hashesTheConcatenationOfItsParts() {
    byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
    String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    assertThat(Sha256.hex(Sha256.sha256(abc))).isEqualTo(expected);
    assertThat(
            Sha256.hex(
                Sha256.sha256(
                    "a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(expected);
  }

  @Test
  void hexIsLowercaseAndUnhexReadsEitherCase() {
    byte[] bytes = {0x00, (byte) 0xab, 0x7f, (byte) 0xff};

    assertThat(Sha256.hex(bytes)).isEqualTo("00ab7fff");
    assertThat(Sha256.unhex("00AB7fff")).isEqualTo(bytes);
  }

  @Test
  void unhexRefusesWhatIsNotHex() {
    assertThatThrownBy(() -> Sha256.unhex("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sha256.unhex("zz")).isInstanceOf(IllegalArgumentException.class);
  }
}
