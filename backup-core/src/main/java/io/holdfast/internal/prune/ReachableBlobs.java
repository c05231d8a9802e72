package io.holdfast.internal.prune;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The tree and data blobs reachable from a set of snapshots: what prune must keep. Every node's
 * subtree and content count, whatever its type, so that nothing referenced is ever judged unused.
 *
 * @param snapshots the snapshots walked
 */
record ReachableBlobs(int snapshots, Set<Id> trees, Set<Id> data) {

  boolean contains(BlobType type, Id id) {
    return (type == BlobType.TREE ? trees : data).contains(id);
  }

  int size() {
    return trees.size() + data.size();
  }

  /** A tree to read, and the snapshot it was first reached from (for messages). */
  private record Todo(Id tree, Id snapshot) {}

  /**
   * Walks every snapshot's trees, a level at a time, reading the trees of a level in parallel on
   * {@code pool}. Tree names are not checked as a restore checks them: prune keeps what it cannot
   * restore as well.
   *
   * @throws IntegrityException if a snapshot, a tree or a data blob a snapshot reaches is not in
   *     the index or cannot be read: prune must not guess what such a snapshot needs
   */
  static ReachableBlobs of(Repository repo, List<Repository.Snapshot> snapshots, Executor pool) {
    Set<Id> trees = ConcurrentHashMap.newKeySet();
    Set<Id> data = ConcurrentHashMap.newKeySet();
    List<Todo> level = new ArrayList<>();
    for (Repository.Snapshot s : snapshots) {
      if (s.file().tree() == null) {
        throw new IntegrityException("snapshot " + s.id().shortHex() + " names no tree");
      }
      Id root = Id.parse(s.file().tree());
      if (trees.add(root)) {
        level.add(new Todo(root, s.id()));
      }
    }
    while (!level.isEmpty()) {
      List<CompletableFuture<List<Todo>>> reads = new ArrayList<>(level.size());
      for (Todo t : level) {
        reads.add(CompletableFuture.supplyAsync(() -> read(repo, t, trees, data), pool));
      }
      List<Todo> next = new ArrayList<>();
      for (CompletableFuture<List<Todo>> r : reads) {
        try {
          next.addAll(r.join());
        } catch (CompletionException e) {
          throw e.getCause() instanceof HoldfastException h ? h : e;
        }
      }
      level = next;
    }
    return new ReachableBlobs(snapshots.size(), trees, data);
  }

  /** Reads one tree, records its data blobs; returns its subtrees not reached before. */
  private static List<Todo> read(Repository repo, Todo t, Set<Id> trees, Set<Id> data) {
    if (repo.lookup(BlobType.TREE, t.tree()) == null) {
      throw new IntegrityException("tree " + t.tree().shortHex() + " of snapshot " + t.snapshot().shortHex()
          + " is not in any index");
    }
    Tree tree = Tree.parse(repo.loadBlob(BlobType.TREE, t.tree()), t.tree());
    List<Todo> out = new ArrayList<>();
    for (Node n : tree.nodes()) {
      if (n.subtree() != null) {
        Id sub = Id.parse(n.subtree());
        if (trees.add(sub)) {
          out.add(new Todo(sub, t.snapshot()));
        }
      }
      for (String blob : n.contentOrEmpty()) {
        Id b = Id.parse(blob);
        if (data.add(b) && repo.lookup(BlobType.DATA, b) == null) {
          throw new IntegrityException("data blob " + b.shortHex() + " of " + n.name() + " (snapshot "
              + t.snapshot().shortHex() + ") is not in any index");
        }
      }
    }
    return out;
  }
}
