package io.holdfast.internal.prune;

import io.holdfast.IntegrityException;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

  /**
   * Walks every snapshot's trees. Tree names are not checked as a restore checks them: prune
   * keeps what it cannot restore as well.
   *
   * @throws IntegrityException if a snapshot, a tree or a data blob a snapshot reaches is not in
   *     the index or cannot be read: prune must not guess what such a snapshot needs
   */
  static ReachableBlobs of(Repository repo, List<Repository.Snapshot> snapshots) {
    Set<Id> trees = new HashSet<>();
    Set<Id> data = new HashSet<>();
    Deque<Id> todo = new ArrayDeque<>();
    for (Repository.Snapshot s : snapshots) {
      if (s.file().tree() == null) {
        throw new IntegrityException("snapshot " + s.id().shortHex() + " names no tree");
      }
      todo.push(Id.parse(s.file().tree()));
      while (!todo.isEmpty()) {
        Id id = todo.pop();
        if (!trees.add(id)) {
          continue;
        }
        if (repo.lookup(BlobType.TREE, id) == null) {
          throw new IntegrityException("tree " + id.shortHex() + " of snapshot " + s.id().shortHex()
              + " is not in any index");
        }
        Tree tree = Tree.parse(repo.loadBlob(BlobType.TREE, id), id);
        for (Node n : tree.nodes()) {
          if (n.subtree() != null) {
            todo.push(Id.parse(n.subtree()));
          }
          for (String blob : n.contentOrEmpty()) {
            Id b = Id.parse(blob);
            if (data.add(b) && repo.lookup(BlobType.DATA, b) == null) {
              throw new IntegrityException("data blob " + b.shortHex() + " of " + n.name() + " (snapshot "
                  + s.id().shortHex() + ") is not in any index");
            }
          }
        }
      }
    }
    return new ReachableBlobs(snapshots.size(), trees, data);
  }
}
