package io.holdfast.internal.restorer;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.internal.repo.Node;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hard links of one restore, as restic recreates them: of the files that share a device and
 * inode and record more than one link, the first restored is written (and checked) as any file;
 * each later one is made a hard link to it once every file is written, or, where the target cannot
 * hold a hard link, a copy of it, with a warning. Only entries alike in content, size, mode, owner
 * and mtime are linked: a snapshot of several sources may repeat an inode number.
 *
 * <p>Memory: an entry per inode whose links are not all restored yet, and one per later link
 * until they are made. Not thread-safe: used by the tree walk, then once at its end.
 */
final class HardLinks {
  private record Inode(long device, long inode) {}

  private record Later(Node node, Path path, Path first) {}

  /** The first restored path of an inode, and how many of its links the walk has met. */
  private static final class First {
    final Node node;
    final Path path;
    long seen = 1;

    First(Node node, Path path) {
      this.node = node;
      this.path = path;
    }
  }

  private final Map<Inode, First> firsts = new HashMap<>();
  private final List<Later> later = new ArrayList<>();

  /**
   * Whether the file {@code n} at {@code p} is to be linked to an earlier file of the same inode
   * (by {@link #create}) instead of written; false for the first of an inode and for files of one
   * link, which the caller writes.
   */
  boolean linkLater(Node n, Path p) {
    if (n.links() == null || n.links() < 2 || n.inode() == null) {
      return false;
    }
    Inode key = new Inode(n.deviceId() == null ? 0 : n.deviceId(), n.inode());
    First first = firsts.get(key);
    if (first == null) {
      firsts.put(key, new First(n, p));
      return false;
    }
    if (!alike(first.node, n)) {
      return false;
    }
    if (++first.seen >= n.links()) {
      // every link of the inode is met: no later one can come
      firsts.remove(key);
    }
    later.add(new Later(n, p, first.path));
    return true;
  }

  private static boolean alike(Node a, Node b) {
    return a.sizeOrZero() == b.sizeOrZero() && a.contentOrEmpty().equals(b.contentOrEmpty())
        && Objects.equals(a.mode(), b.mode()) && a.uid() == b.uid() && a.gid() == b.gid()
        && Objects.equals(a.mtime(), b.mtime());
  }

  /** Makes every later link; call once every first file is written and complete. */
  void create(RestoreStats stats) throws IOException {
    for (Later l : later) {
      try {
        Files.createLink(l.path(), l.first());
        stats.files.incrementAndGet();
      } catch (FileAlreadyExistsException e) {
        throw new HoldfastException("restore would overwrite " + l.path() + "; the target must be empty", e);
      } catch (IOException | UnsupportedOperationException e) {
        copy(l, stats, e);
      }
    }
    later.clear();
    firsts.clear();
  }

  /** Where no link can be made: a copy of the first file, which was checked when written. */
  private static void copy(Later l, RestoreStats stats, Exception linkFailure) throws IOException {
    try {
      Files.copy(l.first(), l.path(), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      e.addSuppressed(linkFailure);
      throw e;
    }
    long size = Files.size(l.path());
    if (size != l.node().sizeOrZero()) {
      throw new IntegrityException(l.path() + ": copied " + size + " bytes from " + l.first()
          + " but the snapshot records " + l.node().sizeOrZero());
    }
    stats.files.incrementAndGet();
    stats.bytes.addAndGet(size);
    stats.skipped.add(l.path() + ": restored as a copy of " + l.first() + ", not as a hard link to it: "
        + linkFailure);
    Restorer.applyMeta(l.node(), l.path(), stats);
  }
}
