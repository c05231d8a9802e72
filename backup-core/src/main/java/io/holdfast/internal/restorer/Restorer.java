package io.holdfast.internal.restorer;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Writes a tree from a repository to a directory: every byte checked against its blob's hash
 * (by {@link Repository#decodeBlob}), file sizes checked against the tree, then modes, owners (when
 * run as root) and times set, directories last so their mtimes stick.
 *
 * <p>Reads: regular files are restored in windows of up to {@value #BATCH_FILES} files; the data
 * blobs a window needs are grouped by pack and fetched with one ranged read per run of
 * neighbouring blobs (gaps up to {@value #MAX_GAP} bytes are read through, one read is at most
 * {@value #MAX_READ} bytes), each blob read once per window however many files use it. At most
 * {@code parallelism + 1} windows are in flight (so that windows of small files, often one read
 * each, still keep every thread busy) and a read's bytes are dropped once written, so memory
 * stays flat: about {@code parallelism} times {@value #MAX_READ} bytes of reads.
 *
 * <p>Hard links: files that share a device and inode in the snapshot are restored as hard links
 * to the first of them restored ({@link HardLinks}), or as copies, with a warning, where the target
 * cannot link them.
 *
 * <p>Safety: names from the repository are checked ({@link Tree#checkNames}); every entry is
 * created new (never opened if it exists) inside a directory this restore created, so nothing is
 * written through a symlink and no path lands outside the target. The target must be absent or an
 * empty directory.
 */
public final class Restorer implements AutoCloseable {
  private static final boolean ROOT = io.holdfast.internal.repo.Host.current().uid() == 0;
  static final int BATCH_FILES = 1024;
  static final int BATCH_BLOBS = 1 << 16;
  static final long MAX_GAP = 1 << 20;
  static final int MAX_READ = 16 << 20;

  private final Repository repo;
  private final ExecutorService pool;
  private final int windowsInFlight;
  private volatile int umask = -1;

  public Restorer(Repository repo, int parallelism) {
    this.repo = repo;
    AtomicInteger n = new AtomicInteger();
    this.windowsInFlight = parallelism + 1;
    this.pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "holdfast-restore-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Restores {@code subpath} ("" for everything) of the snapshot into {@code target}: a directory's
   * contents land directly in the target, a single file or link lands as target/name.
   */
  public RestoreStats restore(Repository.Snapshot snapshot, String subpath, Path target) {
    return restore(snapshot, subpath, target, path -> true, false);
  }

  /**
   * Restores {@code subpath} of the snapshot into {@code target}, only the entries whose path
   * (relative to {@code subpath}, '/'-separated) {@code include} accepts, plus the directories that
   * lead to them. With {@code overwrite}, the target may hold files: entries in the way are
   * replaced (a symlink in the way is removed, never followed); other files are left alone.
   */
  public RestoreStats restore(Repository.Snapshot snapshot, String subpath, Path target,
      Predicate<String> include, boolean overwrite) {
    Node node = resolve(Id.parse(snapshot.file().tree()), subpath);
    prepareTarget(target, overwrite);
    umask = detectUmask(target);
    RestoreStats stats = new RestoreStats();
    Run run = new Run(stats, include, overwrite);
    try {
      if (node == null || node.isDir()) {
        Id tree = node == null ? Id.parse(snapshot.file().tree()) : Id.parse(node.subtree());
        Dir top = new Dir(null, target, null, "");
        top.created = true;
        restoreTree(tree, top, run);
        if (node != null) {
          run.dirMeta.add(() -> applyMeta(node, target, stats));
        }
      } else {
        Dir top = new Dir(null, target, null, "");
        top.created = true;
        restoreEntry(node, top, node.name(), run);
      }
      dispatch(run);
      while (!run.inFlight.isEmpty()) {
        await(run.inFlight.peekFirst());
        run.inFlight.removeFirst();
      }
      // every first link is written and verified now; before directory times, which a link changes
      run.links.create(stats);
    } catch (IOException e) {
      throw new HoldfastException("cannot restore into " + target + ": " + e, e);
    } finally {
      // Also after a failure, so nothing keeps writing into the target after we return.
      run.stopped = true;
      run.inFlight.forEach(Restorer::cancel);
    }
    // Deepest directories were added last: apply in reverse so parents' mtimes are final.
    for (int i = run.dirMeta.size() - 1; i >= 0; i--) {
      run.dirMeta.get(i).run();
    }
    return stats;
  }

  /** The state of one restore: its counters, filter, mode, pending work. */
  private final class Run {
    final RestoreStats stats;
    final Predicate<String> include;
    final boolean overwrite;
    final java.util.ArrayDeque<List<Future<?>>> inFlight = new java.util.ArrayDeque<>();
    final List<Runnable> dirMeta = new ArrayList<>();
    FileBatch batch = new FileBatch(BATCH_FILES, BATCH_BLOBS);
    final HardLinks links = new HardLinks();
    final SubtreePrefetch subtrees;
    volatile boolean stopped;

    Run(RestoreStats stats, Predicate<String> include, boolean overwrite) {
      this.subtrees = new SubtreePrefetch(repo, MAX_GAP, MAX_READ, BATCH_FILES);
      this.stats = stats;
      this.include = include;
      this.overwrite = overwrite;
    }
  }

  /** A directory of the snapshot, created on first need so that a filter restores no empty parents. */
  private final class Dir {
    final Dir parent;
    final Path path;
    final Node node;
    final String rel;
    boolean created;

    Dir(Dir parent, Path path, Node node, String rel) {
      this.parent = parent;
      this.path = path;
      this.node = node;
      this.rel = rel;
    }

    void ensure(Run run) throws IOException {
      if (created) {
        return;
      }
      parent.ensure(run);
      if (run.overwrite && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          removeTree(path);
          Files.createDirectory(path);
        }
      } else {
        Files.createDirectory(path);
      }
      created = true;
      run.stats.dirs.incrementAndGet();
      run.dirMeta.add(() -> applyMeta(node, path, run.stats));
    }
  }

  /** Deletes {@code p} and, if it is a directory (not a link to one), everything in it. */
  public static void removeTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (var walk = Files.walk(p)) {
        for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(q);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }

  /** The node at {@code subpath} under the root tree, or null for the root itself. */
  public Node resolve(Id root, String subpath) {
    return repo.resolve(root, subpath);
  }

  private static void prepareTarget(Path target, boolean overwrite) {
    try {
      if (Files.isSymbolicLink(target)) {
        throw new HoldfastException("restore target " + target + " is a symlink; give the real directory");
      }
      if (Files.exists(target)) {
        if (!Files.isDirectory(target)) {
          throw new HoldfastException("restore target " + target + " exists and is not a directory");
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
          if (!overwrite && ds.iterator().hasNext()) {
            throw new HoldfastException("restore target " + target + " is not empty");
          }
        }
      } else {
        Files.createDirectories(target);
      }
    } catch (IOException e) {
      throw new HoldfastException("cannot prepare restore target " + target + ": " + e, e);
    }
  }

  private void restoreTree(Id treeId, Dir dir, Run run) throws IOException {
    Tree tree = run.subtrees.take(treeId);
    if (tree == null) {
      tree = repo.loadTree(treeId);
    }
    run.subtrees.prefetch(tree);
    for (Node n : tree.nodes()) {
      restoreEntry(n, dir, dir.rel.isEmpty() ? n.name() : dir.rel + "/" + n.name(), run);
    }
  }

  private void restoreEntry(Node n, Dir parent, String rel, Run run) throws IOException {
    Path p = parent.path.resolve(n.name());
    RestoreStats stats = run.stats;
    try {
      if (n.isDir()) {
        if (n.subtree() == null) {
          throw new IntegrityException("directory node " + p + " has no subtree");
        }
        Dir dir = new Dir(parent, p, n, rel);
        if (run.include.test(rel)) {
          dir.ensure(run);
        }
        restoreTree(Id.parse(n.subtree()), dir, run);
        return;
      }
      if (!run.include.test(rel)) {
        return;
      }
      parent.ensure(run);
      if (run.overwrite && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        removeTree(p);
      }
      switch (n.type()) {
        case Node.FILE -> {
          if (!run.links.linkLater(n, p)) {
            addFile(n, p, run);
          }
        }
        case Node.SYMLINK -> {
          Files.createSymbolicLink(p, p.getFileSystem().getPath(n.linkTarget() == null ? "" : n.linkTarget()));
          stats.others.incrementAndGet();
          applyMeta(n, p, stats);
        }
        case Node.FIFO -> special(n, p, stats, "mkfifo", "-m", mode(n), p.toString());
        case Node.DEV, Node.CHARDEV -> {
          if (!ROOT) {
            stats.skipped.add(p + ": device nodes can only be created as root");
            return;
          }
          long dev = n.device() == null ? 0 : n.device();
          long major = io.holdfast.internal.repo.DeviceNumbers.major(dev);
          long minor = io.holdfast.internal.repo.DeviceNumbers.minor(dev);
          special(n, p, stats, "mknod", "-m", mode(n), p.toString(), n.type().equals(Node.DEV) ? "b" : "c",
              Long.toString(major), Long.toString(minor));
        }
        default -> stats.skipped.add(p + ": " + n.type() + " entries are not restored");
      }
    } catch (FileAlreadyExistsException e) {
      throw new HoldfastException("restore would overwrite " + p + "; the target must be empty", e);
    } catch (IOException e) {
      throw new HoldfastException("cannot restore " + p + ": " + e, e);
    }
  }


  private static String mode(Node n) {
    return Integer.toOctalString(GoMode.toPosixPermissions(n.modeOrZero()));
  }

  /**
   * Creates a fifo or device node with a command (Java cannot), mode included. Its owner and times
   * are set without opening it: opening a fifo blocks, opening a device may act on the device.
   */
  private void special(Node n, Path p, RestoreStats stats, String... command) {
    try {
      Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(proc.getInputStream().readAllBytes()).trim();
      if (proc.waitFor() != 0) {
        stats.skipped.add(p + ": " + command[0] + " failed: " + out);
        return;
      }
      stats.others.incrementAndGet();
      applyOwner(n, p, stats);
      if (n.mtime() != null) {
        java.time.Instant t = GoTime.parseInstant(n.mtime());
        Process touch = new ProcessBuilder("touch", "-h", "-d",
            "@" + t.getEpochSecond() + "." + String.format("%09d", t.getNano()), p.toString())
            .redirectErrorStream(true).start();
        String err = new String(touch.getInputStream().readAllBytes()).trim();
        if (touch.waitFor() != 0) {
          stats.skipped.add(p + ": times not restored: " + err);
        }
      }
    } catch (IOException e) {
      stats.skipped.add(p + ": cannot run " + command[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HoldfastException("interrupted while restoring " + p, e);
    }
  }

  /** Adds a regular file to the current window; a full window is sent to the pool. */
  private void addFile(Node n, Path p, Run run) {
    List<PackedBlob> content = new ArrayList<>(n.contentOrEmpty().size());
    for (String blob : n.contentOrEmpty()) {
      Id id = Id.parse(blob);
      PackedBlob where = repo.lookup(BlobType.DATA, id);
      if (where == null) {
        throw new IntegrityException(p + ": data blob " + id.shortHex() + " is not in any index");
      }
      content.add(where);
    }
    int mode = GoMode.toPosixPermissions(n.modeOrZero());
    // Created with its mode where the umask leaves it whole: saves an open and a chmod per file.
    // Only when the owner may write: a file whose blobs lie in several reads is opened again.
    boolean modeAtCreate = umask >= 0 && n.mode() != null && (mode & ~0777) == 0 && (mode & umask) == 0
        && (mode & 0200) != 0;
    java.nio.file.attribute.FileAttribute<?>[] attrs = modeAtCreate
        ? new java.nio.file.attribute.FileAttribute<?>[] {
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions(mode))}
        : new java.nio.file.attribute.FileAttribute<?>[0];
    run.batch.add(new FileSink(n, p, attrs, modeAtCreate, content.size()), content);
    if (run.batch.full()) {
      dispatch(run);
    }
  }

  /**
   * Sends the current window to the pool: one task per pack range, one for the empty files. Waits
   * first for the oldest window when {@code parallelism + 1} are already in flight.
   */
  private void dispatch(Run run) {
    FileBatch batch = run.batch;
    if (batch.isEmpty()) {
      return;
    }
    run.batch = new FileBatch(BATCH_FILES, BATCH_BLOBS);
    while (run.inFlight.size() >= windowsInFlight) {
      await(run.inFlight.peekFirst());
      run.inFlight.removeFirst();
    }
    List<Future<?>> work = new ArrayList<>();
    run.inFlight.addLast(work);
    List<FileSink> empty = batch.files().stream().filter(f -> f.node.contentOrEmpty().isEmpty()).toList();
    if (!empty.isEmpty()) {
      work.add(pool.submit(() -> {
        for (FileSink f : empty) {
          open(f, run).close();
          complete(f, run.stats);
        }
        return null;
      }));
    }
    for (PackRange r : batch.reads(MAX_GAP, MAX_READ)) {
      work.add(pool.submit(() -> {
        readRange(r, run);
        return null;
      }));
    }
  }

  /**
   * Reads one pack range, checks each blob in it and writes it to every place it is used. A file
   * is opened for its first use in the range and closed after its last, so few files are open.
   */
  private void readRange(PackRange r, Run run) throws IOException {
    if (run.stopped) {
      return;
    }
    NeededBlob first = r.blobs().get(0);
    byte[] stored = null;
    IntegrityException unreadable = null;
    try {
      stored = repo.readPack(r.pack(), r.offset(), r.length(),
          "data blob " + first.where().id().shortHex() + " of " + first.uses().get(0).file().path
          + (r.blobs().size() > 1 ? " and " + (r.blobs().size() - 1) + " more blobs" : ""));
    } catch (IntegrityException e) {
      unreadable = e; // a missing or short pack: each blob may still have a copy elsewhere
    }
    Map<FileSink, Integer> left = new HashMap<>();
    for (NeededBlob b : r.blobs()) {
      for (NeededBlob.Use u : b.uses()) {
        left.merge(u.file(), 1, Integer::sum);
      }
    }
    Map<FileSink, Integer> usesInRange = new HashMap<>(left);
    Map<FileSink, FileChannel> open = new HashMap<>();
    try {
      for (NeededBlob b : r.blobs()) {
        PackedBlob where = b.where();
        byte[] plain;
        try {
          plain = stored == null ? repo.loadCopy(where, unreadable) : decodeOrCopy(where, stored, r);
        } catch (IntegrityException e) {
          throw new IntegrityException(b.uses().get(0).file().path + ": " + e.getMessage(), e);
        }
        for (NeededBlob.Use u : b.uses()) {
          FileSink f = u.file();
          FileChannel ch = open.get(f);
          if (ch == null) {
            ch = open(f, run);
            open.put(f, ch);
          }
          f.write(ch, plain, u.offset());
          if (left.merge(f, -1, Integer::sum) == 0) {
            open.remove(f).close();
            if (f.done(usesInRange.get(f))) {
              complete(f, run.stats);
            }
          }
        }
      }
    } finally {
      closeAll(open.values());
    }
  }

  /** The blob at {@code where} from the bytes read for range {@code r}, or from a copy if those are damaged. */
  private byte[] decodeOrCopy(PackedBlob where, byte[] stored, PackRange r) {
    try {
      return repo.decodeBlob(where, stored, Math.toIntExact(where.offset() - r.offset()), where.length());
    } catch (IntegrityException e) {
      return repo.loadCopy(where, e);
    }
  }

  /** Closes every channel, even when closing one fails; the first failure is thrown. */
  private static void closeAll(Iterable<FileChannel> channels) throws IOException {
    IOException failed = null;
    for (FileChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static FileChannel open(FileSink f, Run run) throws IOException {
    if (run.stopped) {
      throw new java.util.concurrent.CancellationException("restore stopped");
    }
    try {
      return f.open();
    } catch (FileAlreadyExistsException e) {
      throw new HoldfastException("restore would overwrite " + f.path + "; the target must be empty", e);
    }
  }

  /** A file whose every blob is written and closed: size checked, counted, metadata set. */
  private static void complete(FileSink f, RestoreStats stats) {
    long written = f.checkSize();
    stats.files.incrementAndGet();
    stats.bytes.addAndGet(written);
    applyMeta(f.node, f.path, stats, f.modeAtCreate);
  }

  /** The process umask, found by creating a file with mode 0777 in {@code dir}; -1 if unknown. */
  private static int detectUmask(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return -1;
    }
    Path probe = dir.resolve(".holdfast-umask-" + java.util.UUID.randomUUID());
    try {
      Files.createFile(probe, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions(0777)));
      int got = 0;
      for (PosixFilePermission perm : Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS)) {
        got |= 1 << (8 - perm.ordinal());
      }
      return 0777 & ~got;
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // best effort: the probe is a hidden empty file
      }
    }
  }

  /** Owner (only as root, and only where it differs from ours); failures are recorded. */
  private static void applyOwner(Node n, Path p, RestoreStats stats) {
    if (!ROOT || (n.uid() == 0 && n.gid() == 0)
        || !p.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      return;
    }
    try {
      // lchown, path based: never follows a link, never opens the file
      Files.setAttribute(p, "unix:gid", (int) n.gid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:uid", (int) n.uid(), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      stats.skipped.add(p + ": owner not restored: " + e.getMessage());
    }
  }

  static void applyMeta(Node n, Path p, RestoreStats stats) {
    applyMeta(n, p, stats, false);
  }

  /** Owner, mode and times of a file, directory or symlink; failures are recorded, not fatal. */
  private static void applyMeta(Node n, Path p, RestoreStats stats, boolean modeDone) {
    boolean skipMode = n.isSymlink() || modeDone;
    applyOwner(n, p, stats);
    try {
      if (!skipMode && n.mode() != null && p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        int mode = GoMode.toPosixPermissions(n.mode());
        if (p.getFileSystem().supportedFileAttributeViews().contains("unix")) {
          Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        } else {
          Files.setPosixFilePermissions(p, permissions(mode));
        }
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      stats.skipped.add(p + ": mode not restored: " + e.getMessage());
    }
    try {
      FileTime mtime = n.mtime() == null ? null : FileTime.from(GoTime.parseInstant(n.mtime()));
      FileTime atime = n.atime() == null ? mtime : FileTime.from(GoTime.parseInstant(n.atime()));
      if (mtime != null) {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setTimes(mtime, atime, null);
      }
    } catch (IOException | UnsupportedOperationException e) {
      stats.skipped.add(p + ": times not restored: " + e.getMessage());
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }

  private static void await(List<Future<?>> work) {
    for (Future<?> f : work) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HoldfastException("restore interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof HoldfastException h) {
          throw h;
        }
        throw new HoldfastException("restore failed: " + c, c);
      }
    }
  }

  private static void cancel(List<Future<?>> work) {
    for (Future<?> f : work) {
      f.cancel(true);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
