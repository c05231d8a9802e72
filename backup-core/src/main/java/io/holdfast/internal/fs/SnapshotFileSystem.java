package io.holdfast.internal.fs;

import io.holdfast.HoldfastException;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One snapshot of a repository as a read-only {@link FileSystem}: the root directory is the
 * snapshot's root tree (one directory per dataset, and {@code .holdfast/manifest.json} for snapshots
 * Holdfast made). Trees and data blobs are read from the repository when first needed, each checked
 * against its hash; a few recent ones are kept in small caches, and a sequential read loads the
 * next {@value #READ_AHEAD} blobs of its file in the background. Nothing is ever written.
 *
 * <p>Thread-safety: any number of threads may read at once. Paths are syntactic and work after
 * {@link #close()}; every operation that reads the snapshot then throws {@link
 * ClosedFileSystemException}.
 *
 * <p>Ownership: {@link #open(Repository, Id)} borrows the repository, which the caller keeps open
 * for as long as the file system is used and closes afterwards. {@link #open(Repository,
 * Repository.Snapshot, AutoCloseable)} hands over a resource (the repository and its lock) that
 * closing the file system closes.
 *
 * <p>Failures: a missing or damaged tree or blob surfaces as an {@link IOException} naming the
 * path, with the repository's {@link HoldfastException} as its cause.
 */
public final class SnapshotFileSystem extends FileSystem {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFileSystem.class);
  private static final AtomicLong OPENED = new AtomicLong();
  private static final int MAX_LINKS = 40;
  private static final int TREES_CACHED = 256;
  private static final long BLOB_BYTES_CACHED = 32L << 20;

  private final Repository repo;
  private final Repository.Snapshot snapshot;
  private final AutoCloseable owned;
  private final String key;
  private final Node rootNode;
  private final SnapshotFileStore store;
  /** Blobs a sequential read asks for ahead of need; each is one thread's worth of decoding. */
  static final int READ_AHEAD = 2;

  private final LruCache<Id, Tree> trees = new LruCache<>(TREES_CACHED, t -> 1);
  private final LruCache<PackedBlob, byte[]> blobs = new LruCache<>(BLOB_BYTES_CACHED, PackedBlob::plaintextLength);
  private final ThreadPoolExecutor readAhead;
  private volatile boolean open = true;

  private SnapshotFileSystem(Repository repo, Repository.Snapshot snapshot, AutoCloseable owned) {
    this.repo = repo;
    this.snapshot = snapshot;
    this.owned = owned;
    this.key = snapshot.id().shortHex() + "-" + OPENED.incrementAndGet();
    String time = snapshot.file().time();
    Long uid = snapshot.file().uid();
    Long gid = snapshot.file().gid();
    this.rootNode = new Node("", Node.DIR, GoMode.DIR | 0755, time, time, time, uid == null ? 0 : uid,
        gid == null ? 0 : gid, null, null, null, null, null, null, null, null, null, snapshot.file().tree());
    this.store = new SnapshotFileStore(this);
    AtomicInteger n = new AtomicInteger();
    // Threads only while reads run: an idle file system holds none.
    this.readAhead = new ThreadPoolExecutor(READ_AHEAD, READ_AHEAD, 5, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "holdfast-readahead-" + snapshot.id().shortHex() + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    readAhead.allowCoreThreadTimeOut(true);
  }

  /**
   * Opens snapshot {@code snapshotId} of an open repository; the caller keeps the repository open
   * while the file system is in use, and closes it after.
   *
   * @throws HoldfastException if the snapshot file is missing or damaged
   */
  public static SnapshotFileSystem open(Repository repo, Id snapshotId) {
    return open(repo, repo.loadSnapshot(snapshotId), null);
  }

  /**
   * Opens {@code snapshot} of {@code repo}; closing the file system closes {@code owned} (null for
   * nothing), which is also closed when this method throws.
   */
  public static SnapshotFileSystem open(Repository repo, Repository.Snapshot snapshot, AutoCloseable owned) {
    try {
      Id.parse(snapshot.file().tree());
      SnapshotFileSystem fs = new SnapshotFileSystem(repo, snapshot, owned);
      SnapshotFileSystemProvider.INSTANCE.register(fs);
      return fs;
    } catch (RuntimeException e) {
      closeQuietly(owned, e);
      throw e;
    }
  }

  /** The snapshot this file system shows. */
  public Repository.Snapshot snapshot() {
    return snapshot;
  }

  /** The authority of this file system's URIs ({@code holdfast://KEY/path}): unique while open. */
  String key() {
    return key;
  }

  @Override
  public java.nio.file.spi.FileSystemProvider provider() {
    return SnapshotFileSystemProvider.INSTANCE;
  }

  /** Releases the caches and whatever was handed over at open; later reads throw. Idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
    }
    SnapshotFileSystemProvider.INSTANCE.unregister(this);
    readAhead.shutdownNow();
    trees.clear();
    blobs.clear();
    if (owned != null) {
      try {
        owned.close();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("cannot close snapshot file system " + key + ": " + e, e);
      }
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(SnapshotPath.root(this));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of(store);
  }

  SnapshotFileStore store() {
    return store;
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return SnapshotAttributes.VIEWS;
  }

  @Override
  public Path getPath(String first, String... more) {
    return path(first, more);
  }

  SnapshotPath path(String first, String... more) {
    return SnapshotPath.parse(this, first, more);
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    int colon = syntaxAndPattern.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + syntaxAndPattern + "' is not of the form syntax:pattern");
    }
    String syntax = syntaxAndPattern.substring(0, colon);
    String pattern = syntaxAndPattern.substring(colon + 1);
    Pattern re;
    if (syntax.equalsIgnoreCase("glob")) {
      re = Glob.toPattern(pattern);
    } else if (syntax.equalsIgnoreCase("regex")) {
      re = Pattern.compile(pattern);
    } else {
      throw new UnsupportedOperationException("path matcher syntax '" + syntax + "': use glob or regex");
    }
    return path -> re.matcher(path.toString()).matches();
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("a snapshot records owners by number and name; it has no user database");
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("a snapshot never changes: there is nothing to watch");
  }

  @Override
  public String toString() {
    return "holdfast snapshot " + snapshot.id().shortHex() + " (" + snapshot.file().time() + ")";
  }

  // ---------------------------------------------------------------- reading the snapshot

  void checkOpen() {
    if (!open) {
      throw new ClosedFileSystemException();
    }
  }

  /** The node at {@code path}, following links on the way and, if asked, the last one too. */
  Node resolve(SnapshotPath path, boolean followLast) throws IOException {
    return walk(path, followLast).node();
  }

  /** The absolute path without ".", ".." or (if asked, the last) links, of an existing entry. */
  SnapshotPath realPath(SnapshotPath path, boolean followLast) throws IOException {
    return SnapshotPath.absolute(this, walk(path, followLast).names());
  }

  private record Walked(Node node, List<String> names) {}

  private Walked walk(SnapshotPath path, boolean followLast) throws IOException {
    checkOpen();
    Deque<String> todo = new ArrayDeque<>(path.toAbsolutePath().names());
    List<Node> nodes = new ArrayList<>(List.of(rootNode));
    List<String> names = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.pollFirst();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (!names.isEmpty()) {
          names.remove(names.size() - 1);
          nodes.remove(nodes.size() - 1);
        }
        continue;
      }
      Node dir = nodes.get(nodes.size() - 1);
      if (!dir.isDir()) {
        throw new FileSystemException(path.toString(), null, "Not a directory");
      }
      Node child = find(listing(dir, path), name);
      if (child == null) {
        throw new NoSuchFileException(path.toString());
      }
      if (child.isSymlink() && (followLast || !todo.isEmpty())) {
        if (++links > MAX_LINKS) {
          throw new FileSystemException(path.toString(), null, "Too many levels of symbolic links");
        }
        if (child.linkTarget() == null || child.linkTarget().isEmpty()) {
          throw new NoSuchFileException(path.toString(), null, "symbolic link with an empty target");
        }
        SnapshotPath target = path(child.linkTarget());
        if (target.isAbsolute()) {
          nodes.subList(1, nodes.size()).clear();
          names.clear();
        }
        List<String> parts = target.names();
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      nodes.add(child);
      names.add(name);
    }
    return new Walked(nodes.get(nodes.size() - 1), names);
  }

  /** The entries of a directory node, in restic's order. */
  List<Node> listing(Node dir, Path where) throws IOException {
    if (dir.subtree() == null) {
      return List.of(); // restic writes no subtree for a directory it could not read
    }
    try {
      return trees.get(Id.parse(dir.subtree()), repo::loadTree).nodes();
    } catch (HoldfastException e) {
      throw damaged(where, e);
    }
  }

  /** Binary search by UTF-8 bytes (restic's order), then a scan in case a writer did not sort. */
  private static Node find(List<Node> nodes, String name) {
    int lo = 0;
    int hi = nodes.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Tree.NAME_ORDER.compare(nodes.get(mid).name(), name);
      if (c == 0) {
        return nodes.get(mid);
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    for (Node n : nodes) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }

  /** Where a file's content blob is stored, from the index (no storage read). */
  PackedBlob where(String blobId, Path file) throws IOException {
    try {
      PackedBlob b = repo.lookup(BlobType.DATA, Id.parse(blobId));
      if (b == null) {
        throw new HoldfastException("data blob " + blobId.substring(0, Math.min(8, blobId.length()))
            + " is not in any index");
      }
      return b;
    } catch (HoldfastException e) {
      throw damaged(file, e);
    }
  }

  /** A content blob's plaintext, from the cache or read (only its byte range) from its pack. */
  byte[] blob(PackedBlob where, Path file) throws IOException {
    checkOpen();
    try {
      return blobs.get(where, repo::loadBlobOrCopy);
    } catch (HoldfastException e) {
      throw damaged(file, e);
    }
  }

  /** Starts loading a blob a sequential read will want soon; failures are left to that read. */
  void prefetch(PackedBlob where) {
    if (open) {
      blobs.prefetch(where, repo::loadBlobOrCopy, readAhead);
    }
  }

  private IOException damaged(Path where, HoldfastException e) {
    return new IOException("cannot read " + where + " in snapshot " + snapshot.id().shortHex() + ": "
        + e.getMessage(), e);
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException primary) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
      LOG.debug("closing after a failed open also failed", e);
    }
  }
}
