package io.holdfast.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.X7875_NewUnix;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A zip file, read through its central directory (where zip keeps Unix modes and the symlink
 * flag), entries in central-directory order.
 */
final class ZipSource implements EntrySource {
  /** A symlink's target is its data; longer than this is not a path. */
  private static final int MAX_LINK = 64 << 10;
  private static final int S_IFMT = 0170000;

  private final ZipFile zip;
  private final Path file;
  private final boolean deleteOnClose;
  private final String format;
  private final Enumeration<ZipArchiveEntry> entries;
  private ZipArchiveEntry current;

  private ZipSource(ZipFile zip, Path file, boolean deleteOnClose, String format) {
    this.zip = zip;
    this.file = file;
    this.deleteOnClose = deleteOnClose;
    this.format = format;
    this.entries = zip.getEntries();
  }

  static ZipSource of(Path file, boolean deleteOnClose, String format) throws IOException {
    ZipFile zip;
    try {
      zip = ZipFile.builder().setPath(file).setCharset(StandardCharsets.UTF_8).get();
    } catch (IOException e) {
      if (deleteOnClose) {
        Files.deleteIfExists(file);
      }
      throw e;
    }
    return new ZipSource(zip, file, deleteOnClose, format);
  }

  /** Copies a zip stream to a temporary file (at most {@code max} bytes), then reads that. */
  static ZipSource spool(InputStream in, long max, String format) throws IOException {
    Path tmp = Files.createTempFile("holdfast-import-", ".zip");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[64 << 10];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (total > max) {
            throw new IllegalArgumentException("the zip archive is larger than the import's limit of " + max
                + " bytes");
          }
          out.write(buf, 0, n);
        }
      }
      return of(tmp, true, format);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  @Override
  public SourceEntry next() throws IOException {
    if (!entries.hasMoreElements()) {
      current = null;
      return null;
    }
    ZipArchiveEntry e = entries.nextElement();
    current = e;
    boolean unix = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && e.getUnixMode() != 0;
    int mode = unix ? e.getUnixMode() : 0;
    SourceEntry.Kind kind;
    String link = null;
    if (e.isUnixSymlink()) {
      kind = SourceEntry.Kind.SYMLINK;
      try (InputStream in = zip.getInputStream(e)) {
        byte[] target = in.readNBytes(MAX_LINK + 1);
        if (target.length > MAX_LINK) {
          throw new IllegalArgumentException("archive entry '" + e.getName() + "' is a symlink whose target is longer"
              + " than " + MAX_LINK + " bytes");
        }
        link = new String(target, StandardCharsets.UTF_8);
      }
    } else if (e.isDirectory()) {
      kind = SourceEntry.Kind.DIR;
    } else if (!unix || (mode & S_IFMT) == 0 || (mode & S_IFMT) == ZipSink.S_IFREG) {
      kind = SourceEntry.Kind.FILE;
    } else {
      throw new IllegalArgumentException("archive entry '" + e.getName() + "' has the Unix file type 0"
          + Integer.toOctalString(mode & S_IFMT) + ", which an import from zip does not know");
    }
    int perms = unix ? mode & 07777 : kind == SourceEntry.Kind.DIR ? 0755 : 0644;
    long uid = 0;
    long gid = 0;
    if (e.getExtraField(new X7875_NewUnix().getHeaderId()) instanceof X7875_NewUnix ids) {
      uid = ids.getUID();
      gid = ids.getGID();
    }
    FileTime mtime = e.getLastModifiedTime();
    return new SourceEntry(e.getName(), kind, perms, mtime == null ? null : mtime.toInstant(),
        e.getLastAccessTime() == null ? null : e.getLastAccessTime().toInstant(), null, uid, gid, null, null,
        kind == SourceEntry.Kind.FILE ? e.getSize() : 0, link, 0, 0);
  }

  @Override
  public InputStream content() throws IOException {
    return zip.getInputStream(current);
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public void close() throws IOException {
    try {
      zip.close();
    } finally {
      if (deleteOnClose) {
        Files.deleteIfExists(file);
      }
    }
  }
}
