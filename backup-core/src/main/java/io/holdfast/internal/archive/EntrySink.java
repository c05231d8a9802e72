package io.holdfast.internal.archive;

import com.github.luben.zstd.ZstdOutputStream;
import io.holdfast.ArchiveFormat;
import io.holdfast.internal.repo.Node;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Where an export writes its entries: one archive format. Entries arrive in tree order; a file's
 * data follows its {@link #begin} in {@link #write} calls, then {@link #end}. Not thread-safe.
 * {@link #finish} writes the archive's end and flushes the caller's stream; the caller's stream is
 * never closed.
 */
public sealed interface EntrySink permits TarSink, ZipSink {
  /** Zstd level of tar.zst exports: zstd's default, fast and a good ratio. */
  int ZSTD_LEVEL = 3;

  /**
   * Starts the entry {@code path} ('/'-separated, relative) for {@code node}.
   *
   * @return null if written, else why this format cannot hold the node (then nothing was written)
   */
  String begin(String path, Node node) throws IOException;

  /**
   * True if this format holds hard links: a file that shares its inode with one written before is
   * then written with {@link #hardLink} instead of its data.
   */
  boolean holdsHardLinks();

  /** Starts an entry {@code path} for {@code node}, a hard link to the earlier entry {@code target}. */
  void hardLink(String path, Node node, String target) throws IOException;

  /** The next bytes of the current file's data. */
  void write(byte[] data) throws IOException;

  /** Closes the current entry. */
  void end() throws IOException;

  /** Writes the archive's end, finishes compression and flushes; the caller's stream stays open. */
  void finish() throws IOException;

  /** A sink writing {@code format} to {@code out}. */
  static EntrySink open(ArchiveFormat format, OutputStream out) throws IOException {
    OutputStream shielded = new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush(); // the caller owns the stream
      }
    };
    // compressors and zip write in small pieces: the caller's stream gets whole buffers
    OutputStream buffered = new BufferedOutputStream(shielded, 64 << 10);
    return switch (format) {
      case TAR -> new TarSink(buffered);
      case TAR_GZ -> new TarSink(new GzipCompressorOutputStream(buffered));
      case TAR_ZST -> new TarSink(new ZstdOutputStream(buffered, ZSTD_LEVEL));
      case ZIP -> new ZipSink(buffered);
    };
  }
}
