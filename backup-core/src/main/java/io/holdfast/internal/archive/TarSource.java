package io.holdfast.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** A tar stream (ustar, pax or GNU; commons-compress parses the headers). */
final class TarSource implements EntrySource {
  private final TarArchiveInputStream tar;
  private final String format;

  TarSource(InputStream in, String format) {
    this.tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
    this.format = format;
  }

  @Override
  public SourceEntry next() throws IOException {
    TarArchiveEntry e = tar.getNextEntry();
    if (e == null) {
      return null;
    }
    SourceEntry.Kind kind;
    if (e.isSymbolicLink()) {
      kind = SourceEntry.Kind.SYMLINK;
    } else if (e.isLink()) {
      kind = SourceEntry.Kind.HARDLINK;
    } else if (e.isDirectory()) {
      kind = SourceEntry.Kind.DIR;
    } else if (e.isFIFO()) {
      kind = SourceEntry.Kind.FIFO;
    } else if (e.isBlockDevice()) {
      kind = SourceEntry.Kind.BLOCK_DEVICE;
    } else if (e.isCharacterDevice()) {
      kind = SourceEntry.Kind.CHAR_DEVICE;
    } else if (isRegular(e.getLinkFlag()) || e.isGNUSparse() || e.isPaxGNUSparse()) {
      kind = SourceEntry.Kind.FILE;
    } else {
      throw new IllegalArgumentException("archive entry '" + e.getName() + "' has the tar type '"
          + (char) e.getLinkFlag() + "', which an import does not know");
    }
    return new SourceEntry(e.getName(), kind, e.getMode() & 07777, instant(e.getLastModifiedTime()),
        instant(e.getLastAccessTime()), instant(e.getStatusChangeTime()), e.getLongUserId(), e.getLongGroupId(),
        emptyToNull(e.getUserName()), emptyToNull(e.getGroupName()),
        kind != SourceEntry.Kind.FILE ? 0 : e.isSparse() ? e.getRealSize() : e.getSize(),
        kind == SourceEntry.Kind.SYMLINK || kind == SourceEntry.Kind.HARDLINK ? e.getLinkName() : null,
        e.getDevMajor(), e.getDevMinor());
  }

  /** Regular files: '0', the old NUL type, and '7' (contiguous, which readers treat as regular). */
  private static boolean isRegular(byte flag) {
    return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
  }

  private static Instant instant(FileTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public InputStream content() {
    return tar;
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
