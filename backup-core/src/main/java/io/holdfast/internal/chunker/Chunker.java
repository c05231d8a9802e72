package io.holdfast.internal.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * restic's content-defined chunker: a Rabin fingerprint over a sliding window of 64 bytes, modulo
 * the repository's polynomial, cuts a stream into chunks of {@value #MIN_SIZE} to {@value
 * #MAX_SIZE} bytes, about 1 MiB on average. For the same polynomial and the same bytes it cuts
 * exactly where restic does, so restic and Holdfast deduplicate against each other in a shared
 * repository.
 *
 * <p>A cut falls after the byte at which the chunk holds at least {@value #MIN_SIZE} bytes and the
 * fingerprint's low 20 bits are all zero, or at {@value #MAX_SIZE} bytes, whichever comes first.
 * The fingerprint restarts for every chunk; the first {@code MIN_SIZE - 64} bytes of a chunk cannot
 * influence the cut and are not hashed. The last chunk of a stream is whatever remains, and may be
 * shorter than {@value #MIN_SIZE}; an empty stream has no chunks.
 *
 * <p>A {@code Chunker} is immutable and thread-safe: make one per repository polynomial (its
 * construction computes two 256-entry tables) and share it. Each stream gets its own {@link
 * Reader}.
 */
public final class Chunker {

  /** The smallest chunk, except for the last chunk of a stream. */
  public static final int MIN_SIZE = 512 * 1024;

  /** The largest chunk. */
  public static final int MAX_SIZE = 8 * 1024 * 1024;

  /** Bytes in the sliding window the fingerprint covers. */
  static final int WINDOW_SIZE = 64;

  /** A chunk may end where these fingerprint bits are zero: 2^20 bytes apart on average. */
  private static final long SPLIT_MASK = (1L << 20) - 1;

  /**
   * Bytes per lane when two fingerprints scan side by side. Short enough that a cut seldom falls
   * early in the first lane, which would waste the second lane's work; long enough that starting
   * each lane on the 64 bytes before it costs nothing.
   */
  private static final int LANE_SIZE = 64 * 1024;

  /** The most a reader asks of its stream in one {@code read}. */
  private static final int READ_SIZE = 1024 * 1024;

  /** A reader's first buffer; small, because most files are. It doubles up to {@link #MAX_SIZE}. */
  private static final int INITIAL_BUFFER_SIZE = 64 * 1024;

  private final long polynomial;

  /** {@code outTable[b]}: the fingerprint of byte b followed by {@code WINDOW_SIZE - 1} zeros. */
  private final long[] outTable = new long[256];

  /** {@code modTable[b]}: {@code (b * x^53) mod polynomial}, plus {@code b * x^53} to clear it. */
  private final long[] modTable = new long[256];

  /**
   * Prepares a chunker for a repository's polynomial.
   *
   * @param polynomial the repository's {@code chunker_polynomial}, see {@link Polynomial#fromHex}
   * @throws IllegalArgumentException if the polynomial is not of degree {@value
   *     Polynomial#CHUNKER_DEGREE} or not irreducible; restic never makes such a one, so it
   *     signals a damaged or foreign {@code config}
   */
  public Chunker(long polynomial) {
    if (Polynomial.degree(polynomial) != Polynomial.CHUNKER_DEGREE) {
      throw new IllegalArgumentException(
          "chunker polynomial " + Polynomial.toHex(polynomial) + " has degree "
              + Polynomial.degree(polynomial) + ", not " + Polynomial.CHUNKER_DEGREE);
    }
    if (!Polynomial.isIrreducible(polynomial)) {
      throw new IllegalArgumentException(
          "chunker polynomial " + Polynomial.toHex(polynomial) + " is not irreducible");
    }
    this.polynomial = polynomial;
    for (int b = 0; b < 256; b++) {
      long h = appendByte(0, b, polynomial);
      for (int i = 1; i < WINDOW_SIZE; i++) {
        h = appendByte(h, 0, polynomial);
      }
      outTable[b] = h;
      long shifted = (long) b << Polynomial.CHUNKER_DEGREE;
      modTable[b] = Polynomial.mod(shifted, polynomial) | shifted;
    }
  }

  /** The polynomial this chunker fingerprints with. */
  public long polynomial() {
    return polynomial;
  }

  /**
   * A reader that cuts {@code in} into chunks. The reader does not close {@code in}: the caller
   * owns it.
   */
  public Reader reader(InputStream in) {
    return new Reader(Objects.requireNonNull(in, "in"));
  }

  /** The fingerprint of the bytes so far followed by byte {@code b}, fully reduced. */
  private static long appendByte(long fingerprint, int b, long polynomial) {
    return Polynomial.mod(fingerprint << 8 | b, polynomial);
  }

  /**
   * Shifts byte {@code in} into a fingerprint from which the byte leaving the window was already
   * removed. Uses the table rather than a full reduction: the top byte of the 53-bit fingerprint
   * selects the entry that both clears the bits shifted past x^52 and adds their remainder.
   */
  private static long roll(long digest, int in, long[] modTable) {
    int top = (int) (digest >>> (Polynomial.CHUNKER_DEGREE - 8)) & 0xff;
    return (digest << 8 | in) ^ modTable[top];
  }

  /**
   * The first index {@code i} in {@code [from, to)} at which the fingerprint of the window {@code
   * buf[i - 63 .. i]} allows a cut, or -1. Needs {@code from >= 64}.
   *
   * <p>restic carries one fingerprint through a chunk, restarting it per chunk by sliding a byte
   * of value 1 into a zero window and then skipping to the 64 bytes that end at {@code MIN_SIZE}.
   * Because the fingerprint is linear, by the time a cut may fall it equals the fingerprint of the
   * last 64 bytes alone, whatever came before. So any stretch can be scanned afresh from the 64
   * bytes before it, which lets two independent stretches share one loop: one fingerprint waits on
   * its table load while the other computes, which about doubles the speed of a single one.
   */
  private int firstCut(byte[] buf, int from, int to) {
    int i = from;
    for (; to - i >= 2 * LANE_SIZE; i += 2 * LANE_SIZE) {
      int cut = firstCutInTwoLanes(buf, i);
      if (cut >= 0) {
        return cut;
      }
    }
    return firstCutInOneLane(buf, i, to);
  }

  /** {@link #firstCut} over {@code [from, from + 2 * LANE_SIZE)}, as two interleaved lanes. */
  private int firstCutInTwoLanes(byte[] buf, int from) {
    long[] out = outTable;
    long[] mod = modTable;
    int second = from + LANE_SIZE;
    long a = fingerprintBefore(buf, from);
    long b = fingerprintBefore(buf, second);
    for (int i = from, j = second; i < second; i++, j++) {
      a = roll(a ^ out[buf[i - WINDOW_SIZE] & 0xff], buf[i] & 0xff, mod);
      b = roll(b ^ out[buf[j - WINDOW_SIZE] & 0xff], buf[j] & 0xff, mod);
      if ((a & SPLIT_MASK) == 0) {
        return i;
      }
      if ((b & SPLIT_MASK) == 0) {
        int earlier = firstCutInOneLane(buf, i + 1, second);
        return earlier >= 0 ? earlier : j;
      }
    }
    return -1;
  }

  /** {@link #firstCut} with one fingerprint. */
  private int firstCutInOneLane(byte[] buf, int from, int to) {
    if (from >= to) {
      return -1;
    }
    long[] out = outTable;
    long[] mod = modTable;
    long digest = fingerprintBefore(buf, from);
    for (int i = from; i < to; i++) {
      digest = roll(digest ^ out[buf[i - WINDOW_SIZE] & 0xff], buf[i] & 0xff, mod);
      if ((digest & SPLIT_MASK) == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The fingerprint of {@code buf[at - 64 .. at - 1]}. */
  private long fingerprintBefore(byte[] buf, int at) {
    long digest = 0;
    for (int i = at - WINDOW_SIZE; i < at; i++) {
      digest = roll(digest, buf[i] & 0xff, modTable);
    }
    return digest;
  }

  /**
   * Cuts one stream into chunks. Not thread-safe; use one reader per stream from one thread.
   *
   * <p>Memory is bounded by one buffer of at most {@value Chunker#MAX_SIZE} bytes, plus the chunk
   * being returned. An {@link IOException} from the stream propagates unchanged; the reader should
   * then be discarded.
   */
  public final class Reader {
    private final InputStream in;
    /** Holds the current chunk from {@code start} and any read-ahead up to {@code filled}. */
    private byte[] buffer = new byte[INITIAL_BUFFER_SIZE];
    private int start;
    private int filled;
    private boolean endOfStream;

    private Reader(InputStream in) {
      this.in = in;
    }

    /**
     * Next chunk as a new byte[] of exactly the chunk's length, or null at end of stream.
     *
     * @throws IOException if reading the stream fails
     */
    public byte[] next() throws IOException {
      while (filled - start < MIN_SIZE && !endOfStream) {
        readMore();
      }
      int available = filled - start;
      if (available < MIN_SIZE) {
        return available == 0 ? null : take(available);
      }
      // Offsets in the chunk; a cut may fall after the byte at offset MIN_SIZE - 1 or later.
      int scanned = MIN_SIZE - 1;
      while (true) {
        int end = Math.min(filled - start, MAX_SIZE);
        int cut = firstCut(buffer, start + scanned, start + end);
        if (cut >= 0) {
          return take(cut + 1 - start);
        }
        if (end == MAX_SIZE || endOfStream) {
          return take(end);
        }
        scanned = end;
        readMore();
      }
    }

    /** Reads once from the stream into the buffer, first making room if it is full. */
    private void readMore() throws IOException {
      if (filled == buffer.length) {
        makeRoom();
      }
      int n = in.read(buffer, filled, Math.min(buffer.length - filled, READ_SIZE));
      if (n < 0) {
        endOfStream = true;
      } else {
        filled += n;
      }
    }

    /**
     * Moves the current chunk's bytes to the front of the buffer, into a buffer twice as large when
     * they fill more than half of it. A chunk never exceeds {@code MAX_SIZE}, so neither does the
     * buffer.
     */
    private void makeRoom() {
      int live = filled - start;
      if (live > buffer.length / 2 && buffer.length < MAX_SIZE) {
        int size = Math.min(buffer.length * 2, MAX_SIZE);
        buffer = Arrays.copyOfRange(buffer, start, start + size);
      } else {
        System.arraycopy(buffer, start, buffer, 0, live);
      }
      start = 0;
      filled = live;
    }

    private byte[] take(int length) {
      byte[] chunk = Arrays.copyOfRange(buffer, start, start + length);
      start += length;
      if (start == filled) {
        start = 0;
        filled = 0;
      }
      return chunk;
    }
  }
}
