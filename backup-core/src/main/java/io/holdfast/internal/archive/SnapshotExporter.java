package io.holdfast.internal.archive;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.internal.Progress;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams a snapshot's tree (or a part of it) into an {@link EntrySink}: depth first in tree
 * order, each directory before what it holds, each file's data blobs written as they are loaded.
 *
 * <p>Blobs are loaded (and checked against their ids) on {@code parallelism} threads a few ahead
 * of the writer, across file boundaries, so many small files do not wait on one read each; at
 * most {@value #BLOBS_AHEAD} blobs or {@value #BYTES_AHEAD} bytes are held at once, and the tree
 * is walked lazily: memory stays flat whatever the size of the snapshot. One exporter serves one
 * export at a time; {@link #close()} stops its threads.
 */
public final class SnapshotExporter implements AutoCloseable {
  static final int BLOBS_AHEAD = 16;
  static final long BYTES_AHEAD = 48L << 20;
  private static final int TASKS_AHEAD = 1024;

  private final Repository repo;
  private final ExecutorService loaders;

  /** What an export wrote and what it had to leave out. */
  public record Result(long files, long dirs, long others, long bytes, List<String> skipped) {}

  public SnapshotExporter(Repository repo, int parallelism) {
    this.repo = repo;
    AtomicInteger n = new AtomicInteger();
    this.loaders = Executors.newFixedThreadPool(Math.max(1, parallelism), r -> {
      Thread t = new Thread(r, "holdfast-export-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Writes the entries under {@code subpath} of the tree {@code root} to {@code sink} (without
   * finishing it). For "" the root tree's entries are the archive's top level; for a directory the
   * directory itself comes first, named by its last component; a file is a single entry. Entries
   * and content bytes written so far go to {@code progress} after each entry and each blob.
   *
   * @throws IntegrityException if a blob is damaged or a file's blobs do not add up to its size;
   *     the sink then holds a partial archive
   */
  public Result export(Id root, String subpath, EntrySink sink, Progress progress) throws IOException {
    Node top = repo.resolve(root, subpath);
    Walk walk = new Walk();
    if (top == null) {
      walk.push("", root);
    } else {
      walk.pending = new Start(top.name(), top);
    }
    Run run = new Run(walk, sink, progress);
    progress.step("export: writing entries");
    try {
      run.go();
    } finally {
      run.cancel();
    }
    return new Result(run.files, run.dirs, run.others, run.bytes, List.copyOf(run.skipped));
  }

  /** An entry to begin. */
  private record Start(String path, Node node) {}

  /** An entry to write as a hard link to an earlier one. */
  private record Link(String path, Node node, String target) {}

  /** A blob being loaded for the current file. */
  private record Load(Future<byte[]> data, long estimate) {}

  /** The tree, walked lazily in pre-order: a directory's tree is loaded when the walk enters it. */
  private final class Walk {
    private final Deque<Frame> stack = new ArrayDeque<>();
    Start pending;

    private record Frame(String prefix, Iterator<Node> nodes) {}

    void push(String prefix, Id tree) {
      stack.push(new Frame(prefix, repo.loadTree(tree).nodes().iterator()));
    }

    /** The next entry, or null at the end. */
    Start next() {
      if (pending != null) {
        Start s = pending;
        pending = null;
        enter(s);
        return s;
      }
      while (!stack.isEmpty()) {
        Frame f = stack.peek();
        if (!f.nodes().hasNext()) {
          stack.pop();
          continue;
        }
        Node n = f.nodes().next();
        Start s = new Start(f.prefix().isEmpty() ? n.name() : f.prefix() + "/" + n.name(), n);
        enter(s);
        return s;
      }
      return null;
    }

    private void enter(Start s) {
      if (s.node().isDir()) {
        if (s.node().subtree() == null) {
          throw new IntegrityException("directory " + s.path() + " has no subtree");
        }
        push(s.path(), Id.parse(s.node().subtree()));
      }
    }
  }

  /** One export: the queue of entries and loads ahead of the writer. */
  private final class Run {
    final Walk walk;
    final EntrySink sink;
    final Deque<Object> ahead = new ArrayDeque<>();
    Iterator<String> blobs;
    boolean done;
    int loading;
    long loadingBytes;
    long files;
    long dirs;
    long others;
    long bytes;
    final List<String> skipped = new ArrayList<>();
    /** Files with several links already exported, by device and inode. */
    final java.util.Map<String, Start> firstLinks = new java.util.HashMap<>();

    final Progress progress;
    long entries;
    long streamed;

    Run(Walk walk, EntrySink sink, Progress progress) {
      this.walk = walk;
      this.sink = sink;
      this.progress = progress;
    }

    void go() throws IOException {
      Start open = null;
      long written = 0;
      while (true) {
        topUp();
        Object t = ahead.poll();
        if (t == null) {
          break;
        }
        if (t instanceof Load l) {
          byte[] data = get(l.data());
          loading--;
          loadingBytes -= l.estimate();
          sink.write(data);
          written += data.length;
          streamed += data.length;
          progress.done(entries, streamed);
          continue;
        }
        if (open != null) {
          close(open, written);
        }
        progress.done(++entries, streamed);
        open = null;
        written = 0;
        if (t instanceof Link l) {
          sink.hardLink(l.path(), l.node(), l.target());
          sink.end();
          files++;
          continue;
        }
        Start s = (Start) t;
        String why = sink.begin(s.path(), s.node());
        if (why != null) {
          skipped.add(s.path() + ": " + why);
          continue;
        }
        open = s;
      }
      if (open != null) {
        close(open, written);
      }
    }

    private void close(Start s, long written) throws IOException {
      if (s.node().isFile()) {
        if (written != s.node().sizeOrZero()) {
          throw new IntegrityException(s.path() + ": its blobs hold " + written + " bytes but the snapshot records "
              + s.node().sizeOrZero());
        }
        files++;
        bytes += written;
      } else if (s.node().isDir()) {
        dirs++;
      } else {
        others++;
      }
      sink.end();
    }

    /** Walks and starts loads until enough is ahead of the writer. */
    private void topUp() {
      while (!done && loading < BLOBS_AHEAD && loadingBytes < BYTES_AHEAD && ahead.size() < TASKS_AHEAD) {
        if (blobs != null && blobs.hasNext()) {
          Id id = Id.parse(blobs.next());
          PackedBlob where = repo.lookup(BlobType.DATA, id);
          if (where == null) {
            throw new IntegrityException("data blob " + id.shortHex() + " is not in any index");
          }
          long estimate = where.plaintextLength();
          ahead.add(new Load(loaders.submit(() -> repo.loadBlob(where)), estimate));
          loading++;
          loadingBytes += estimate;
          continue;
        }
        Start s = walk.next();
        if (s == null) {
          done = true;
          return;
        }
        String earlier = earlierLink(s);
        if (earlier != null) {
          blobs = null;
          ahead.add(new Link(s.path(), s.node(), earlier));
          continue;
        }
        blobs = s.node().isFile() ? s.node().contentOrEmpty().iterator() : null;
        ahead.add(s);
      }
    }

    /**
     * For a file that shares its inode with one exported before (and a format that holds hard
     * links), the earlier one's path; else null. Remembers the paths of files with more than one link.
     */
    private String earlierLink(Start s) {
      Node n = s.node();
      if (!sink.holdsHardLinks() || !n.isFile() || n.links() == null || n.links() < 2 || n.inode() == null) {
        return null;
      }
      Start first = firstLinks.putIfAbsent(n.deviceId() + ":" + n.inode(), s);
      // only the same content is linked: a tree of several sources may reuse an inode number
      return first != null && first.node().contentOrEmpty().equals(n.contentOrEmpty()) ? first.path() : null;
    }

    void cancel() {
      for (Object t : ahead) {
        if (t instanceof Load l) {
          l.data().cancel(true);
        }
      }
    }
  }

  private static byte[] get(Future<byte[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("export interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new HoldfastException("cannot load a blob: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    loaders.shutdownNow();
  }
}
