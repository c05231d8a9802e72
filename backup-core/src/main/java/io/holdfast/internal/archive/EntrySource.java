package io.holdfast.internal.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The entries of an archive being imported, in archive order. Not thread-safe. Closing releases
 * what the source opened (a spooled zip file is deleted); the caller's stream is not closed.
 */
sealed interface EntrySource extends Closeable permits TarSource, ZipSource {
  /**
   * The next entry, or null at the end.
   *
   * @throws IllegalArgumentException for an entry of a type an import does not know, naming it
   * @throws IOException if the archive cannot be read or is damaged
   */
  SourceEntry next() throws IOException;

  /** The current entry's data; read to its end or not at all. Not to be closed. */
  InputStream content() throws IOException;

  /** What was read: {@code tar}, {@code tar.gz}, {@code tar.zst} or {@code zip}. */
  String format();

  /**
   * Reads {@code in}: its compression (gzip, zstd or none) and its archive format (tar or zip)
   * are detected from the first bytes. Zip keeps the Unix modes only in its central directory at
   * the end, so a zip stream is first copied to a temporary file, of at most {@code maxSpool}
   * bytes.
   */
  static EntrySource open(InputStream in, long maxSpool) throws IOException {
    return detect(new java.io.FilterInputStream(in) {
      @Override
      public void close() {
        // the caller owns the stream
      }
    }, maxSpool);
  }

  /** Reads the archive in {@code file}: like {@link #open(InputStream, long)}, but a zip is read in place. */
  static EntrySource open(Path file, long maxSpool) throws IOException {
    byte[] magic;
    try (InputStream probe = Files.newInputStream(file)) {
      magic = probe.readNBytes(4);
    }
    if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && (magic[2] == 3 || magic[2] == 5)) {
      return ZipSource.of(file, false, "zip");
    }
    InputStream in = Files.newInputStream(file);
    try {
      return detect(in, maxSpool);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static EntrySource detect(InputStream in, long maxSpool) throws IOException {
    BufferedInputStream raw = new BufferedInputStream(in, 64 << 10);
    String compression = null;
    InputStream data = raw;
    try {
      compression = CompressorStreamFactory.detect(raw);
    } catch (CompressorException e) {
      // not compressed (or with a compression nobody detects): read as it is
    }
    if (CompressorStreamFactory.GZIP.equals(compression)) {
      data = new BufferedInputStream(GzipCompressorInputStream.builder().setInputStream(raw)
          .setDecompressConcatenated(true).get(), 64 << 10);
    } else if (CompressorStreamFactory.ZSTANDARD.equals(compression)) {
      data = new BufferedInputStream(new ZstdInputStreamNoFinalizer(raw), 64 << 10);
    } else if (compression != null) {
      throw new IllegalArgumentException("the archive is compressed with " + compression
          + ": only gzip and zstd (or no compression) are supported");
    }
    try {
      return archive(data, compression, maxSpool);
    } catch (IOException | RuntimeException e) {
      if (data != raw) {
        data.close(); // a zstd decoder holds native memory; the caller still closes its own stream
      }
      throw e;
    }
  }

  private static EntrySource archive(InputStream data, String compression, long maxSpool) throws IOException {
    String archive = null;
    try {
      archive = ArchiveStreamFactory.detect(data);
    } catch (ArchiveException e) {
      // an empty tar, or an old one without a magic: let the tar reader decide
    }
    String suffix = compression == null ? "" : CompressorStreamFactory.GZIP.equals(compression) ? ".gz" : ".zst";
    if (ArchiveStreamFactory.ZIP.equals(archive)) {
      try (InputStream z = data) {
        return ZipSource.spool(z, maxSpool, "zip" + suffix);
      }
    }
    if (archive != null && !ArchiveStreamFactory.TAR.equals(archive)) {
      throw new IllegalArgumentException("the archive is " + archive + ": only tar and zip are supported");
    }
    return new TarSource(data, "tar" + suffix);
  }
}
