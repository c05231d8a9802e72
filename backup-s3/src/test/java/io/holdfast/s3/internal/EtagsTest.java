package io.holdfast.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EtagsTest {
  private static final long MIB = 1024 * 1024;

  /** The ETag S3 gives a multipart upload of {@code data} in parts of {@code part} bytes. */
  static String multipart(byte[] data, int part) throws Exception {
    MessageDigest whole = MessageDigest.getInstance("MD5");
    int n = 0;
    for (int off = 0; off < data.length; off += part, n++) {
      whole.update(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(data, off, Math.min(data.length, off + part))));
    }
    return HexFormat.of().formatHex(whole.digest()) + "-" + n;
  }

  @Test
  void singleAndMultipartEtagsOfTheSameContentMatchAndOthersDoNot() throws Exception {
    byte[] data = new byte[(int) (17 * MIB + 5)];
    new Random(1).nextBytes(data);
    assertThat(Etags.matches(Etags.of(data), data.length, 8 * MIB, new ByteArrayInputStream(data))).isTrue();
    assertThat(Etags.matches(multipart(data, (int) (8 * MIB)), data.length, 8 * MIB, new ByteArrayInputStream(data))).isTrue();
    // another client's part size, one of the common defaults
    assertThat(Etags.matches(multipart(data, (int) (5 * MIB)), data.length, 8 * MIB, new ByteArrayInputStream(data))).isTrue();
    // a part size we do not try
    assertThat(Etags.matches(multipart(data, (int) (7 * MIB)), data.length, 8 * MIB, new ByteArrayInputStream(data))).isFalse();
    byte[] other = data.clone();
    other[12345] ^= 1;
    assertThat(Etags.matches(Etags.of(data), other.length, 8 * MIB, new ByteArrayInputStream(other))).isFalse();
    assertThat(Etags.matches("not-an-etag", data.length, 8 * MIB, new ByteArrayInputStream(data))).isFalse();
    assertThat(Etags.matches(null, data.length, 8 * MIB, new ByteArrayInputStream(data))).isFalse();
  }
}
