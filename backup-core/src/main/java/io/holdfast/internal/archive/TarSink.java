package io.holdfast.internal.archive;

import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.DeviceNumbers;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Node;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * POSIX (pax) tar. What the ustar header cannot hold — long or non-ASCII names and link targets,
 * sizes of 8 GiB and more, large ids, long or non-ASCII user and group names, and mtimes with
 * their nanoseconds — goes into one pax extended header per entry, which GNU tar, bsdtar and
 * commons-compress read.
 *
 * <p>Why this class writes the pax records itself: commons-compress writes pax times to 100 ns
 * only, and a restic tree keeps nanoseconds; an export that a round trip must reproduce exactly
 * cannot lose them. commons-compress writes the headers and the data; the entry it gets needs no
 * pax header of its own (ASCII placeholder names, big numbers in star's binary form).
 */
final class TarSink implements EntrySink {
  private static final int USTAR_NAME = 99; // commons-compress wants the terminating NUL to fit
  private static final int USTAR_USER = 32;
  private static final long MAX_SIZE = 077777777777L;
  private static final long MAX_ID = 07777777L;

  private final BufferedOutputStream buffered;
  private final TarArchiveOutputStream tar;

  TarSink(OutputStream out) {
    this.buffered = new BufferedOutputStream(out, 64 << 10);
    this.tar = new TarArchiveOutputStream(buffered, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR); // names that do not fit go into our pax header
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
    tar.setAddPaxHeadersForNonAsciiNames(false);
  }

  @Override
  public String begin(String path, Node node) throws IOException {
    return begin(path, node, null);
  }

  @Override
  public boolean holdsHardLinks() {
    return true;
  }

  @Override
  public void hardLink(String path, Node node, String target) throws IOException {
    begin(path, node, target);
  }

  private String begin(String path, Node node, String hardLinkTarget) throws IOException {
    Map<String, String> pax = new LinkedHashMap<>();
    String name = node.isDir() ? path + "/" : path;
    String headerName = fit("path", name, USTAR_NAME, pax);
    TarArchiveEntry e;
    String type = hardLinkTarget != null ? "hardlink" : node.type();
    switch (type) {
      case "hardlink" -> {
        e = new TarArchiveEntry(headerName, TarConstants.LF_LINK, true);
        e.setLinkName(fit("linkpath", hardLinkTarget, USTAR_NAME, pax));
      }
      case Node.DIR -> e = new TarArchiveEntry(headerName, TarConstants.LF_DIR, true);
      case Node.FILE -> {
        e = new TarArchiveEntry(headerName, TarConstants.LF_NORMAL, true);
        e.setSize(node.sizeOrZero());
        if (node.sizeOrZero() > MAX_SIZE) {
          pax.put("size", Long.toString(node.sizeOrZero()));
        }
      }
      case Node.SYMLINK -> {
        e = new TarArchiveEntry(headerName, TarConstants.LF_SYMLINK, true);
        e.setLinkName(fit("linkpath", node.linkTarget() == null ? "" : node.linkTarget(), USTAR_NAME, pax));
      }
      case Node.FIFO -> e = new TarArchiveEntry(headerName, TarConstants.LF_FIFO, true);
      case Node.DEV, Node.CHARDEV -> {
        e = new TarArchiveEntry(headerName, node.type().equals(Node.DEV) ? TarConstants.LF_BLK : TarConstants.LF_CHR,
            true);
        long dev = node.device() == null ? 0 : node.device();
        e.setDevMajor((int) DeviceNumbers.major(dev));
        e.setDevMinor((int) DeviceNumbers.minor(dev));
      }
      default -> {
        return "tar cannot hold " + node.type() + " entries";
      }
    }
    e.setMode(GoMode.toPosixPermissions(node.modeOrZero()));
    e.setUserId(node.uid());
    e.setGroupId(node.gid());
    if (node.uid() > MAX_ID) {
      pax.put("uid", Long.toString(node.uid()));
    }
    if (node.gid() > MAX_ID) {
      pax.put("gid", Long.toString(node.gid()));
    }
    if (node.user() != null) {
      e.setUserName(fit("uname", node.user(), USTAR_USER, pax));
    }
    if (node.group() != null) {
      e.setGroupName(fit("gname", node.group(), USTAR_USER, pax));
    }
    if (node.mtime() != null) {
      Instant t = GoTime.parseInstant(node.mtime());
      long seconds = Math.max(0, Math.min(MAX_SIZE, t.getEpochSecond()));
      e.setLastModifiedTime(FileTime.from(Instant.ofEpochSecond(seconds)));
      if (t.getNano() != 0 || seconds != t.getEpochSecond()) {
        pax.put("mtime", PaxTime.format(t));
      }
    }
    if (!pax.isEmpty()) {
      byte[] records = records(pax);
      TarArchiveEntry x = new TarArchiveEntry(fit(null, "PaxHeaders/" + path, USTAR_NAME, pax),
          TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
      x.setSize(records.length);
      x.setLastModifiedTime(e.getLastModifiedTime());
      tar.putArchiveEntry(x);
      tar.write(records);
      tar.closeArchiveEntry();
    }
    tar.putArchiveEntry(e);
    return null;
  }

  /**
   * {@code value} if the ustar field holds it (ASCII, at most {@code max} bytes); else records it
   * as the pax {@code key} (unless null) and returns an ASCII stand-in for readers without pax.
   */
  private static String fit(String key, String value, int max, Map<String, String> pax) {
    boolean ascii = value.chars().allMatch(c -> c > 0 && c < 0x7f);
    if (ascii && value.length() <= max) {
      return value;
    }
    if (key != null) {
      pax.put(key, value);
    }
    String stand = value.replaceAll("[^\\x20-\\x7e/]", "_");
    return stand.length() <= max ? stand : stand.substring(stand.length() - max);
  }

  /** Pax records: {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
  static byte[] records(Map<String, String> pax) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> r : pax.entrySet()) {
      byte[] body = (" " + r.getKey() + "=" + r.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
      int len = body.length;
      int digits = Integer.toString(len).length();
      while (Integer.toString(len + digits).length() != digits) {
        digits++;
      }
      out.writeBytes(Integer.toString(len + digits).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  @Override
  public void write(byte[] data) throws IOException {
    tar.write(data, 0, data.length);
  }

  /** Pushes what is written so far to the stream (for tests of the headers alone). */
  void flush() throws IOException {
    tar.flush();
    buffered.flush();
  }

  @Override
  public void end() throws IOException {
    tar.closeArchiveEntry();
  }

  @Override
  public void finish() throws IOException {
    tar.finish();
    tar.close();
  }
}
