package io.holdfast.internal.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  private static final long POLYNOMIAL = 0x25b468838dcb75L;
  private static final Chunker CHUNKER = new Chunker(POLYNOMIAL);
  private static final int MIB = 1024 * 1024;

  @Test
  void chunksStayWithinTheSizeBounds() {
    List<byte[]> chunks = chunk(CHUNKER, randomBytes(1, 40 * MIB + 17));
    assertThat(chunks).hasSizeGreaterThan(10);
    for (byte[] chunk : chunks.subList(0, chunks.size() - 1)) {
      assertThat(chunk.length).isBetween(Chunker.MIN_SIZE, Chunker.MAX_SIZE);
    }
    assertThat(chunks.get(chunks.size() - 1).length).isBetween(1, Chunker.MAX_SIZE);
  }

  @Test
  void chunksConcatenateToTheInput() {
    byte[] data = randomBytes(2, 20 * MIB + 3);
    assertThat(concat(chunk(CHUNKER, data))).isEqualTo(data);
  }

  @Test
  void sameBytesGiveTheSameChunksHoweverTheStreamDeliversThem() {
    byte[] data = randomBytes(3, 24 * MIB + 999);
    List<byte[]> whole = chunk(CHUNKER, data);
    List<byte[]> trickled = chunk(CHUNKER, new TricklingInputStream(data, 70_000, 5));
    assertThat(trickled).hasSameSizeAs(whole);
    for (int i = 0; i < whole.size(); i++) {
      assertThat(trickled.get(i)).as("chunk %d", i).isEqualTo(whole.get(i));
    }
    assertThat(lengths(chunk(new Chunker(POLYNOMIAL), data))).isEqualTo(lengths(whole));
  }

  @Test
  void cutsDependOnThePolynomial() {
    byte[] data = randomBytes(4, 20 * MIB);
    Chunker other = new Chunker(Polynomial.randomIrreducible(new Random(4)));
    assertThat(lengths(chunk(other, data))).isNotEqualTo(lengths(chunk(CHUNKER, data)));
  }

  @Test
  void cutsRealignAfterAnInsertion() {
    byte[] data = randomBytes(5, 30 * MIB);
    byte[] shifted = concat(List.of(randomBytes(6, 1000), data));
    List<Integer> original = lengths(chunk(CHUNKER, data));
    List<Integer> after = lengths(chunk(CHUNKER, shifted));
    // Only the chunks up to the first cut that survives differ; the rest repeat exactly.
    int common = 0;
    while (common < Math.min(original.size(), after.size())
        && original.get(original.size() - 1 - common).equals(after.get(after.size() - 1 - common))) {
      common++;
    }
    assertThat(common).isGreaterThanOrEqualTo(original.size() - 2);
  }

  @Test
  void cutsEqualThoseOfAPlainByteByByteRabinChunker() {
    // Zero windows fingerprint to zero, so planted runs of 64 zeros make cuts close together:
    // many fall in the same stretch of the scan, which is where a faster scan could go wrong.
    byte[] data = randomBytes(10, 24 * MIB);
    Random random = new Random(11);
    for (int run = 0; run < 600; run++) {
      int at = random.nextInt(data.length - 64);
      Arrays.fill(data, at, at + 64, (byte) 0);
    }
    assertThat(lengths(chunk(CHUNKER, data)))
        .isEqualTo(plainRabinCutLengths(POLYNOMIAL, data))
        .anySatisfy(length -> assertThat(length).isLessThan(Chunker.MIN_SIZE + 1000));
  }

  @Test
  void anEmptyStreamHasNoChunks() throws IOException {
    Chunker.Reader reader = CHUNKER.reader(new ByteArrayInputStream(new byte[0]));
    assertThat(reader.next()).isNull();
    assertThat(reader.next()).isNull();
  }

  @Test
  void aStreamShorterThanTheMinimumIsOneChunk() {
    byte[] tiny = randomBytes(7, 10);
    assertThat(chunk(CHUNKER, tiny)).containsExactly(tiny);
    byte[] almost = randomBytes(8, Chunker.MIN_SIZE - 1);
    assertThat(chunk(CHUNKER, almost)).containsExactly(almost);
  }

  @Test
  void zerosAreCutAtTheMinimumSize() {
    // The fingerprint of a window of zeros is zero, so every chunk ends as soon as it may.
    List<Integer> lengths = lengths(chunk(CHUNKER, new byte[3 * Chunker.MIN_SIZE + 5]));
    assertThat(lengths).containsExactly(Chunker.MIN_SIZE, Chunker.MIN_SIZE, Chunker.MIN_SIZE, 5);
  }

  @Test
  void shortPeriodicDataIsCutAtTheMaximumSize() {
    // A 4 KiB period gives the window only 4096 fingerprints; for this polynomial none splits.
    byte[] block = randomBytes(9, 4096);
    byte[] data = new byte[2 * Chunker.MAX_SIZE + 300];
    for (int i = 0; i < data.length; i += block.length) {
      System.arraycopy(block, 0, data, i, Math.min(block.length, data.length - i));
    }
    assertThat(lengths(chunk(CHUNKER, data)))
        .containsExactly(Chunker.MAX_SIZE, Chunker.MAX_SIZE, 300);
  }

  @Test
  void cutsMatchThoseResticMadeForTheSameBytes() {
    // Keeps the check against restic where restic is not installed.
    Chunker chunker = new Chunker(RECORDED_POLYNOMIAL);
    assertThat(lengths(chunk(chunker, randomBytes(1, 20 * MIB + 12345))))
        .containsExactly(RECORDED_LENGTHS);
  }

  @Test
  void polynomialsOfAnotherDegreeAreRefused() {
    assertThatThrownBy(() -> new Chunker(0b1011)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("degree");
    assertThatThrownBy(() -> new Chunker(POLYNOMIAL << 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reduciblePolynomialsAreRefused() {
    long reducible = Polynomial.multiply(0b111, POLYNOMIAL >>> 2); // degree 2 + 51
    assertThatThrownBy(() -> new Chunker(reducible)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("irreducible");
  }

  @Test
  void theChunkerRemembersItsPolynomial() {
    assertThat(CHUNKER.polynomial()).isEqualTo(POLYNOMIAL);
  }

  /**
   * The chunking rule exactly as restic states it, one byte at a time, with the arithmetic done by
   * {@link Polynomial} rather than by tables: per chunk a zero window into which one byte of value
   * 1 slides, the first {@code MIN_SIZE - 64} bytes not hashed, then each byte leaves the window
   * 64 bytes after it entered.
   */
  private static List<Integer> plainRabinCutLengths(long polynomial, byte[] data) {
    long leavingWeight = 1; // x^(8 * 63) mod polynomial: where a byte stands when it leaves
    for (int i = 0; i < 63; i++) {
      leavingWeight = Polynomial.mulMod(leavingWeight, 1 << 8, polynomial);
    }
    List<Integer> lengths = new ArrayList<>();
    int chunkStart = 0;
    while (chunkStart < data.length) {
      byte[] window = new byte[64];
      window[0] = 1;
      int position = 1;
      long digest = 1;
      int count = Chunker.MIN_SIZE - 64;
      int length = -1;
      while (chunkStart + count < data.length) {
        int in = data[chunkStart + count] & 0xff;
        int leaving = window[position] & 0xff;
        window[position] = (byte) in;
        position = (position + 1) % 64;
        digest ^= Polynomial.mulMod(leaving, leavingWeight, polynomial);
        digest = Polynomial.mod(digest << 8 | in, polynomial);
        count++;
        if (count >= Chunker.MIN_SIZE && ((digest & ((1 << 20) - 1)) == 0
            || count >= Chunker.MAX_SIZE)) {
          length = count;
          break;
        }
      }
      if (length < 0) {
        length = data.length - chunkStart;
      }
      lengths.add(length);
      chunkStart += length;
    }
    return lengths;
  }

  /** Deterministic pseudo-random bytes; the same sequence the interop test writes to a file. */
  static byte[] randomBytes(long seed, int length) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static List<byte[]> chunk(Chunker chunker, byte[] data) {
    return chunk(chunker, new ByteArrayInputStream(data));
  }

  static List<byte[]> chunk(Chunker chunker, InputStream in) {
    try {
      Chunker.Reader reader = chunker.reader(in);
      List<byte[]> chunks = new ArrayList<>();
      for (byte[] chunk = reader.next(); chunk != null; chunk = reader.next()) {
        chunks.add(chunk);
      }
      return chunks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Integer> lengths(List<byte[]> chunks) {
    return chunks.stream().map(c -> c.length).toList();
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Hands out at most a random 1 to {@code maxRead} bytes per read, as pipes and sockets do. */
  private static final class TricklingInputStream extends FilterInputStream {
    private final Random random;
    private final int maxRead;

    TricklingInputStream(byte[] data, int maxRead, long seed) {
      super(new ByteArrayInputStream(data));
      this.random = new Random(seed);
      this.maxRead = maxRead;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1 + random.nextInt(maxRead)));
    }
  }

  /** The polynomial of a repository made by restic 0.14 in ChunkerResticInteropTest. */
  private static final long RECORDED_POLYNOMIAL = 0x31c746cf325d2bL;

  /** The lengths of the blobs restic cut from {@code randomBytes(1, 20 MiB + 12345)} there. */
  private static final Integer[] RECORDED_LENGTHS = {
    1288684, 2685415, 2365325, 966943, 764005, 548342, 1444748, 744474, 880032, 1041460, 566380,
    1008939, 1373097, 714916, 2420407, 672374, 1498324
  };
}
