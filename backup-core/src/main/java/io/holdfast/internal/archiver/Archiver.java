package io.holdfast.internal.archiver;

import io.holdfast.HoldfastException;
import io.holdfast.internal.chunker.Chunker;
import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Host;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.SnapshotFile;
import io.holdfast.internal.repo.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns directories into trees and data blobs in a repository, reusing the parent snapshot's
 * content for files whose size, mtime, ctime and inode did not change.
 *
 * <p>The walk runs on the calling thread; files are read and chunked on a pool of
 * {@code parallelism} threads, and the chunks of large files are hashed, compressed and encrypted on
 * a second pool, so reading, chunking, hashing, compression, encryption and upload overlap. Memory
 * is bounded by the number of files and chunks in flight, not by the size of the data.
 *
 * <p>One archiver serves one backup at a time; {@link #close()} stops its threads (interrupting the
 * reads still running) and returns once they have ended, so that the files read may then go away.
 */
public final class Archiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
  private static final int FILES_IN_FLIGHT = 1024;
  private static final int CHUNKS_IN_FLIGHT_PER_FILE = 4;

  private final Repository repo;
  private final Chunker chunker;
  private final ForkJoinPool walkers;
  private final ExecutorService files;
  private final ExecutorService chunks;
  private final Semaphore fileSlots = new Semaphore(FILES_IN_FLIGHT);
  private final ZoneId zone = ZoneId.systemDefault();
  private final OwnerNames owners = new OwnerNames();

  /** A directory to back up and the name it gets in the snapshot's root tree. */
  public record Source(String name, Path root) {
    public Source {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(root, "root");
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("invalid source name '" + name + "'");
      }
    }
  }

  public Archiver(Repository repo, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.repo = repo;
    this.chunker = new Chunker(repo.chunkerPolynomial());
    // Directories are listed on a fork-join pool: a directory's subdirectories are pushed on the
    // listing thread's own deque and popped last-in first-out, so the walk stays depth-first and
    // the nodes waiting for their directory to finish stay few.
    AtomicInteger n = new AtomicInteger();
    this.walkers = new ForkJoinPool(parallelism, pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("holdfast-walk-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, null, false);
    this.files = Executors.newFixedThreadPool(parallelism, threads("holdfast-read"));
    this.chunks = Executors.newFixedThreadPool(parallelism, threads("holdfast-blob"));
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Backs up {@code sources} as one snapshot: each source becomes a directory of its name in the
   * root tree. Writes packs, then the index, then the snapshot file.
   *
   * @param parent the snapshot whose content is reused for unchanged files, or null
   * @param tags tags of the new snapshot
   * @param stats filled while the backup runs
   */
  public Id backup(List<Source> sources, Repository.Snapshot parent, List<String> tags, BackupStats stats) {
    Tree parentRoot = parent == null ? null : repo.loadTree(Id.parse(parent.file().tree()));
    List<Node> roots = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (Source s : sources) {
      Node previous = parentRoot == null ? null : parentRoot.find(s.name());
      Id parentSubtree = previous != null && previous.isDir() && previous.subtree() != null
          ? Id.parse(previous.subtree()) : null;
      roots.add(join(archive(s.name(), s.root(), parentSubtree, (p, dir) -> false, stats)));
      paths.add(s.root().toAbsolutePath().toString());
    }
    return commit(roots, paths, parent == null ? null : parent.id(), tags);
  }

  /**
   * Stores {@code content} as a file node named {@code name} (for Holdfast's own metadata in the
   * snapshot tree), mode 0644, owned by this process.
   */
  public Node syntheticFile(String name, byte[] content, java.time.Instant mtime) {
    List<String> blobs = new ArrayList<>();
    if (content.length > 0) {
      Id id = Id.hash(content);
      repo.saveBlob(BlobType.DATA, id, content);
      blobs.add(id.hex());
    }
    String t = GoTime.format(mtime, zone);
    Host h = Host.current();
    return new Node(name, Node.FILE, 0644L, t, t, t, Math.max(0, h.uid()), Math.max(0, h.gid()), null, null,
        null, null, (long) content.length, 1L, null, null, blobs, null);
  }

  /** Stores a directory node named {@code name} holding {@code children}, mode 0755. */
  public Node syntheticDir(String name, List<Node> children, java.time.Instant mtime) {
    String t = GoTime.format(mtime, zone);
    Host h = Host.current();
    Id tree = repo.saveTree(Tree.sorted(children));
    return new Node(name, Node.DIR, 0755L | GoMode.DIR, t, t, t, Math.max(0, h.uid()), Math.max(0, h.gid()),
        null, null, null, null, null, null, null, null, null, tree.hex());
  }

  /** Waits for an archived tree; a failure surfaces as the exception that caused it. */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new HoldfastException("backup failed: " + c, c);
    }
  }

  /**
   * Saves a root tree of {@code nodes}, flushes packs and index, and writes the snapshot file last.
   */
  public Id commit(List<Node> rootNodes, List<String> paths, Id parent, List<String> tags) {
    Id root = repo.saveTree(Tree.sorted(rootNodes));
    repo.flush();
    Host h = Host.current();
    SnapshotFile snap = new SnapshotFile(GoTime.format(ZonedDateTime.now(repo.clock())),
        parent == null ? null : parent.hex(), root.hex(), List.copyOf(paths), h.hostname(), h.username(),
        Math.max(0, h.uid()), Math.max(0, h.gid()), null, tags == null || tags.isEmpty() ? null : List.copyOf(tags), null,
        "holdfast 0.1.0");
    Id id = repo.saveSnapshot(snap);
    LOG.info("saved snapshot {}", id.shortHex());
    return id;
  }

  /**
   * Archives one directory tree. The walk runs on the archiver's threads; the returned future
   * completes with a directory node named {@code name} once every file is stored and every tree
   * blob written.
   *
   * @param parentSubtree the same directory's tree in the parent snapshot, or null
   * @param exclude which relative paths (with '/' separators; directory or not) to leave out
   */
  public CompletableFuture<Node> archive(String name, Path root, Id parentSubtree,
      BiPredicate<String, Boolean> exclude, BackupStats stats) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(root, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new HoldfastException("cannot read " + root + ": " + e.getMessage(), e);
    }
    if (!attrs.isDirectory()) {
      throw new HoldfastException(root + " is not a directory");
    }
    Node self = nodeFor(name, root);
    return walkDir(self, root, "", parentSubtree, exclude, stats);
  }

  /** Lists {@code dir} on a walker thread; completes when its tree blob is saved. */
  private CompletableFuture<Node> walkDir(Node self, Path dir, String rel, Id parentSubtree,
      BiPredicate<String, Boolean> exclude, BackupStats stats) {
    return CompletableFuture.supplyAsync(() -> listDir(self, dir, rel, parentSubtree, exclude, stats), walkers)
        .thenCompose(f -> f);
  }

  private CompletableFuture<Node> listDir(Node self, Path dir, String rel, Id parentSubtree,
      BiPredicate<String, Boolean> exclude, BackupStats stats) {
    stats.dirs.incrementAndGet();
    Map<String, Node> previous = new HashMap<>();
    List<Node> previousNodes = null;
    if (parentSubtree != null) {
      try {
        previousNodes = repo.loadTree(parentSubtree).nodes();
        for (Node n : previousNodes) {
          previous.put(n.name(), n);
        }
      } catch (HoldfastException e) {
        LOG.warn("parent tree {} unreadable, reading {} in full: {}", parentSubtree.shortHex(), dir, e.getMessage());
      }
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        entries.add(p);
      }
    } catch (IOException e) {
      stats.warnings.add("cannot list " + dir + ": " + e);
    }
    List<CompletableFuture<Node>> children = new ArrayList<>(entries.size());
    for (Path p : entries) {
      String childName = p.getFileName().toString();
      String childRel = rel.isEmpty() ? childName : rel + "/" + childName;
      Node node;
      try {
        node = nodeFor(childName, p);
      } catch (UncheckedIOException e) {
        stats.warnings.add("cannot read " + p + ": " + e.getCause());
        continue;
      }
      if (exclude.test(childRel, node.isDir())) {
        continue;
      }
      Node prev = previous.get(childName);
      if (node.isDir()) {
        Id prevSub = prev != null && prev.isDir() && prev.subtree() != null ? Id.parse(prev.subtree()) : null;
        children.add(walkDir(node, p, childRel, prevSub, exclude, stats));
      } else if (node.isFile()) {
        children.add(file(node, p, prev, stats));
      } else {
        stats.others.incrementAndGet();
        children.add(CompletableFuture.completedFuture(node));
      }
    }
    List<Node> unchangedTree = previousNodes;
    return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Node> nodes = new ArrayList<>(children.size());
      for (CompletableFuture<Node> c : children) {
        Node n = c.join();
        if (n != null) {
          nodes.add(n);
        }
      }
      Tree tree = Tree.sorted(nodes);
      if (unchangedTree != null && tree.nodes().equals(unchangedTree)) {
        // every entry as in the parent: its tree is this tree, no need to encode and store it again
        return self.withSubtree(parentSubtree.hex());
      }
      return self.withSubtree(repo.saveTree(tree).hex());
    });
  }

  private CompletableFuture<Node> file(Node node, Path path, Node prev, BackupStats stats) {
    if (prev != null && unchanged(node, prev)) {
      stats.filesUnmodified.incrementAndGet();
      stats.bytesTotal.addAndGet(node.sizeOrZero());
      return CompletableFuture.completedFuture(node.withContent(prev.contentOrEmpty()));
    }
    (prev == null ? stats.filesNew : stats.filesChanged).incrementAndGet();
    try {
      fileSlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() stops the walk
      throw new CompletionException(new java.io.InterruptedIOException("interrupted before reading " + path));
    }
    CompletableFuture<Node> result = new CompletableFuture<>();
    try {
      files.execute(() -> {
        try {
          result.complete(readFile(node, path, stats));
        } catch (IOException | UncheckedIOException e) {
          stats.warnings.add("cannot read " + path + ": " + (e instanceof UncheckedIOException u ? u.getCause() : e));
          result.complete(null);
        } catch (Throwable t) {
          result.completeExceptionally(t);
        } finally {
          fileSlots.release();
        }
      });
    } catch (RuntimeException e) {
      fileSlots.release();
      throw e;
    }
    return result;
  }

  private static boolean unchanged(Node now, Node prev) {
    return prev.isFile()
        && now.sizeOrZero() == prev.sizeOrZero()
        && Objects.equals(now.inode(), prev.inode())
        && sameInstant(now.mtime(), prev.mtime())
        && sameInstant(now.ctime(), prev.ctime())
        && (prev.content() != null || prev.sizeOrZero() == 0);
  }

  private static boolean sameInstant(String a, String b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    return a.equals(b) || GoTime.parseInstant(a).equals(GoTime.parseInstant(b));
  }

  private Node readFile(Node node, Path path, BackupStats stats) throws IOException {
    List<String> content = new ArrayList<>();
    long size = 0;
    if (node.sizeOrZero() < Chunker.MIN_SIZE) {
      // Smaller than the minimum chunk: the whole file is one blob, no chunker needed.
      byte[] data = Files.readAllBytes(path);
      if (data.length >= Chunker.MIN_SIZE) {
        return readChunked(node, path, stats);
      }
      if (data.length > 0) {
        content.add(store(data, stats).hex());
      }
      size = data.length;
      stats.bytesRead.addAndGet(size);
      stats.bytesTotal.addAndGet(size);
      return withSize(node.withContent(content), size);
    }
    return readChunked(node, path, stats);
  }

  private Node readChunked(Node node, Path path, BackupStats stats) throws IOException {
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      return store(node, in, stats);
    }
  }

  /**
   * Stores the content of one file read from {@code in} (to its end; not closed): chunked as files
   * are, chunks hashed, compressed and encrypted on the archiver's threads, a few at a time.
   *
   * @return {@code node} with its content blob ids and the size read
   */
  public Node store(Node node, InputStream in, BackupStats stats) throws IOException {
    List<Future<Id>> pending = new ArrayList<>();
    long size = 0;
    Chunker.Reader reader = chunker.reader(in);
    byte[] chunk;
    int waited = 0;
    while ((chunk = reader.next()) != null) {
      size += chunk.length;
      stats.bytesRead.addAndGet(chunk.length);
      byte[] c = chunk;
      pending.add(chunks.submit(() -> store(c, stats)));
      // Keep at most a few chunks of this file in memory at once.
      while (pending.size() - waited > CHUNKS_IN_FLIGHT_PER_FILE) {
        get(pending.get(waited++));
      }
    }
    List<String> content = new ArrayList<>(pending.size());
    for (Future<Id> f : pending) {
      content.add(get(f).hex());
    }
    stats.bytesTotal.addAndGet(size);
    return withSize(node.withContent(content), size);
  }

  private static Id get(Future<Id> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CompletionException(e.getCause());
    }
  }

  private Id store(byte[] data, BackupStats stats) {
    Id id = Id.hash(data);
    if (repo.saveBlob(BlobType.DATA, id, data)) {
      stats.blobsAdded.incrementAndGet();
      stats.bytesAdded.addAndGet(data.length);
    }
    return id;
  }

  private static Node withSize(Node n, long size) {
    return new Node(n.name(), n.type(), n.mode(), n.mtime(), n.atime(), n.ctime(), n.uid(), n.gid(),
        n.user(), n.group(), n.inode(), n.deviceId(), size, n.links(), n.linkTarget(), n.device(),
        n.content(), n.subtree());
  }

  // ---------------------------------------------------------------- metadata

  private String time(Object fileTime) {
    if (fileTime == null) {
      return null;
    }
    return GoTime.format(((FileTime) fileTime).toInstant(), zone);
  }

  private static final String UNIX_ATTRIBUTES =
      "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,lastAccessTime,ctime";

  /**
   * The node for one directory entry, from a single stat of it (links are not followed); owner
   * names come from {@link OwnerNames}, looked up once per id.
   */
  Node nodeFor(String name, Path p) {
    try {
      Set<String> views = p.getFileSystem().supportedFileAttributeViews();
      if (views.contains("unix")) {
        Map<String, Object> a = Files.readAttributes(p, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int stMode = (Integer) a.get("mode");
        long goMode = GoMode.fromPosix(stMode);
        String type = typeOf(stMode);
        boolean device = type.equals(Node.DEV) || type.equals(Node.CHARDEV);
        long uid = ((Number) a.get("uid")).longValue();
        long gid = ((Number) a.get("gid")).longValue();
        OwnerNames.Names names = owners.of(p, uid, gid);
        return new Node(name, type, goMode, time(a.get("lastModifiedTime")), time(a.get("lastAccessTime")),
            time(a.get("ctime")), uid, gid, names.user(), names.group(),
            ((Number) a.get("ino")).longValue(), ((Number) a.get("dev")).longValue(),
            type.equals(Node.FILE) ? (Long) a.get("size") : null, ((Number) a.get("nlink")).longValue(),
            type.equals(Node.SYMLINK) ? Files.readSymbolicLink(p).toString() : null,
            device ? ((Number) a.get("rdev")).longValue() : null,
            type.equals(Node.FILE) ? List.of() : null, null);
      }
      BasicFileAttributes b;
      long perms;
      String user = null;
      String group = null;
      if (views.contains("posix")) {
        PosixFileAttributes pa = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        b = pa;
        user = pa.owner() == null ? null : pa.owner().getName();
        group = pa.group() == null ? null : pa.group().getName();
        perms = 0;
        for (PosixFilePermission perm : pa.permissions()) {
          perms |= 1L << (8 - perm.ordinal());
        }
      } else {
        b = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        perms = b.isDirectory() ? 0755 : 0644;
      }
      String type = b.isDirectory() ? Node.DIR : b.isSymbolicLink() ? Node.SYMLINK : b.isRegularFile() ? Node.FILE : Node.FIFO;
      long goMode = perms | (b.isDirectory() ? GoMode.DIR : 0) | (b.isSymbolicLink() ? GoMode.SYMLINK : 0);
      Object key = b.fileKey();
      Long inode = key == null ? null : (long) key.hashCode() & 0xffffffffL;
      return new Node(name, type, goMode, time(b.lastModifiedTime()), time(b.lastAccessTime()),
          time(b.lastModifiedTime()), 0, 0, user, group, inode, null,
          type.equals(Node.FILE) ? b.size() : null, null,
          type.equals(Node.SYMLINK) ? Files.readSymbolicLink(p).toString() : null, null,
          type.equals(Node.FILE) ? List.of() : null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String typeOf(int stMode) {
    return switch (stMode & 0170000) {
      case 0040000 -> Node.DIR;
      case 0120000 -> Node.SYMLINK;
      case 0100000 -> Node.FILE;
      case 0010000 -> Node.FIFO;
      case 0140000 -> Node.SOCKET;
      case 0060000 -> Node.DEV;
      case 0020000 -> Node.CHARDEV;
      default -> Node.FILE;
    };
  }

  /** Interrupts what still runs and waits until every thread has ended; an interrupt of the caller is kept for after. */
  @Override
  public void close() {
    walkers.shutdownNow();
    files.shutdownNow();
    chunks.shutdownNow();
    boolean interrupted = false;
    for (ExecutorService pool : List.of(walkers, files, chunks)) {
      while (true) {
        try {
          if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
            break;
          }
          LOG.warn("archiver threads still running a minute after they were stopped; waiting for them");
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
