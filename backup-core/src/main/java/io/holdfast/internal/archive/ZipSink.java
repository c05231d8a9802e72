package io.holdfast.internal.archive;

import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.zip.X7875_NewUnix;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Zip, streamed (data descriptors, zip64 where a size needs it): Unix modes and symlinks in the
 * external attributes, uid and gid in the Info-ZIP Unix extra field, mtimes in the extended
 * timestamp and NTFS fields (100 ns). Zip has no place for fifos, devices, sockets, or user and
 * group names.
 */
final class ZipSink implements EntrySink {
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  private final ZipArchiveOutputStream zip;

  ZipSink(OutputStream out) {
    this.zip = new ZipArchiveOutputStream(out);
    zip.setUseZip64(Zip64Mode.AsNeeded);
    zip.setEncoding(StandardCharsets.UTF_8.name());
  }

  @Override
  public String begin(String path, Node node) throws IOException {
    int perms = GoMode.toPosixPermissions(node.modeOrZero());
    ZipArchiveEntry e;
    byte[] linkTarget = null;
    switch (node.type()) {
      case Node.DIR -> {
        e = new ZipArchiveEntry(path + "/");
        e.setUnixMode(S_IFDIR | perms);
      }
      case Node.FILE -> {
        e = new ZipArchiveEntry(path);
        e.setUnixMode(S_IFREG | perms);
        e.setSize(node.sizeOrZero());
      }
      case Node.SYMLINK -> {
        e = new ZipArchiveEntry(path);
        e.setUnixMode(S_IFLNK | 0777);
        linkTarget = (node.linkTarget() == null ? "" : node.linkTarget()).getBytes(StandardCharsets.UTF_8);
        e.setSize(linkTarget.length);
      }
      default -> {
        return "zip cannot hold " + node.type() + " entries";
      }
    }
    if (node.mtime() != null) {
      e.setLastModifiedTime(FileTime.from(GoTime.parseInstant(node.mtime())));
    }
    X7875_NewUnix ids = new X7875_NewUnix();
    ids.setUID(node.uid());
    ids.setGID(node.gid());
    e.addExtraField(ids);
    zip.putArchiveEntry(e);
    if (linkTarget != null) {
      zip.write(linkTarget);
    }
    return null;
  }

  @Override
  public boolean holdsHardLinks() {
    return false;
  }

  @Override
  public void hardLink(String path, Node node, String target) {
    throw new UnsupportedOperationException("zip holds no hard links");
  }

  @Override
  public void write(byte[] data) throws IOException {
    zip.write(data, 0, data.length);
  }

  @Override
  public void end() throws IOException {
    zip.closeArchiveEntry();
  }

  @Override
  public void finish() throws IOException {
    zip.finish();
    zip.close();
  }
}
