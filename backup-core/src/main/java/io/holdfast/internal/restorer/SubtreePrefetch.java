package io.holdfast.internal.restorer;

import io.holdfast.IntegrityException;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trees of a directory's subdirectories, read before the walk descends into them: grouped by
 * pack and fetched in coalesced ranged reads ({@link PackRange}) instead of one read per tree, each
 * checked like {@link Repository#loadTree}. The walk is depth-first, so what is held is at most
 * {@code maxPerDir} trees per level of the path being walked. Not thread-safe: used by the walk.
 */
final class SubtreePrefetch {
  private final Repository repo;
  private final long maxGap;
  private final int maxRead;
  private final int maxPerDir;
  private final Map<Id, Tree> trees = new HashMap<>();
  private final Map<Id, Integer> uses = new HashMap<>();

  SubtreePrefetch(Repository repo, long maxGap, int maxRead, int maxPerDir) {
    this.repo = repo;
    this.maxGap = maxGap;
    this.maxRead = maxRead;
    this.maxPerDir = maxPerDir;
  }

  /** The prefetched tree {@code id}, or null when it was not prefetched (then load it). */
  Tree take(Id id) {
    Integer left = uses.get(id);
    if (left == null) {
      return null;
    }
    if (left == 1) {
      uses.remove(id);
      return trees.remove(id);
    }
    uses.put(id, left - 1);
    return trees.get(id);
  }

  /**
   * Reads the subtrees of {@code tree}'s directories not yet held. A tree the index does not know,
   * or whose pack is missing or damaged, is left to {@link Repository#loadTree}, which loads it from
   * another copy or reports it.
   */
  void prefetch(Tree tree) {
    Map<Id, Map<Id, NeededBlob>> byPack = new LinkedHashMap<>();
    int n = 0;
    for (Node node : tree.nodes()) {
      if (!node.isDir() || node.subtree() == null || n >= maxPerDir) {
        continue;
      }
      Id id = Id.parse(node.subtree());
      if (uses.merge(id, 1, Integer::sum) > 1) {
        continue; // held already (or listed twice here): one read serves every use
      }
      PackedBlob where = repo.lookup(BlobType.TREE, id);
      if (where == null) {
        uses.remove(id);
        continue;
      }
      byPack.computeIfAbsent(where.pack(), k -> new LinkedHashMap<>()).put(id, new NeededBlob(where));
      n++;
    }
    List<PackRange> reads = new ArrayList<>();
    byPack.forEach((pack, blobs) -> reads.addAll(PackRange.cover(pack, blobs.values(), maxGap, maxRead)));
    for (PackRange r : reads) {
      byte[] stored;
      try {
        stored = repo.readPack(r.pack(), r.offset(), r.length(),
            "tree blob " + r.blobs().get(0).where().id().shortHex());
      } catch (IntegrityException e) {
        r.blobs().forEach(b -> uses.remove(b.where().id())); // left to loadTree, which tries copies
        continue;
      }
      for (NeededBlob b : r.blobs()) {
        PackedBlob where = b.where();
        try {
          byte[] plain = repo.decodeBlob(where, stored, Math.toIntExact(where.offset() - r.offset()), where.length());
          trees.put(where.id(), Repository.checkedTree(where.id(), plain));
        } catch (IntegrityException e) {
          uses.remove(where.id());
        }
      }
    }
  }
}
