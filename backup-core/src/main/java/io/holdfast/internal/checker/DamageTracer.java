package io.holdfast.internal.checker;

import io.holdfast.HoldfastException;
import io.holdfast.VerifyReport.AffectedPath;
import io.holdfast.VerifyReport.AffectedSnapshot;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.SnapshotFile;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Traces lost blobs to what they cost: every snapshot, and every file path in it, that depends on
 * one (DESIGN.md section 6: "a damaged pack is reported with the snapshots and files that depend
 * on it"). A lost tree makes its whole subtree unknown: the path of its directory is reported as
 * such, since nothing below it can be named.
 *
 * <p>Memory: the lost blobs, one flag per distinct tree (whether anything below it is lost), and
 * the loaded trees that are affected. Each tree is loaded once however many snapshots share it.
 * Not thread-safe; one instance traces once.
 */
public final class DamageTracer {
  /** Paths listed per snapshot; the rest are counted. */
  static final int MAX_PATHS = 10_000;
  static final String UNINDEXED = "unindexed";

  private final Repository repo;
  private final BlobPlaces places;
  private final Map<Id, String> lostData;
  private final Map<Id, String> lostTrees;
  /** Whether a tree, or anything below it, depends on a lost blob. */
  private final Map<Id, Boolean> affected = new HashMap<>();
  private final Map<Id, Tree> affectedTrees = new HashMap<>();

  /**
   * @param lostData lost data blobs, each with the short id of the pack it was lost with (or
   *     {@code unindexed})
   * @param lostTrees lost tree blobs, likewise
   * @param places where trees stored twice are: one that does not load from its first place is
   *     loaded from another
   */
  DamageTracer(Repository repo, BlobPlaces places, Map<Id, String> lostData, Map<Id, String> lostTrees) {
    this.repo = Objects.requireNonNull(repo, "repo");
    this.places = Objects.requireNonNull(places, "places");
    this.lostData = Map.copyOf(lostData);
    this.lostTrees = new HashMap<>(lostTrees);
  }

  /** Every snapshot that depends on a lost blob, oldest first; snapshot files that do not load are skipped. */
  public List<AffectedSnapshot> trace() {
    List<Repository.Snapshot> snapshots = new ArrayList<>();
    for (Id id : repo.list(FileType.SNAPSHOT)) {
      try {
        snapshots.add(repo.loadSnapshot(id));
      } catch (HoldfastException e) {
        // the structure check reports it; a snapshot that does not load has no paths to name
      }
    }
    snapshots.sort(Comparator.comparing((Repository.Snapshot s) -> s.time().toInstant()).thenComparing(Repository.Snapshot::id));
    List<AffectedSnapshot> out = new ArrayList<>();
    for (Repository.Snapshot s : snapshots) {
      Paths paths = new Paths();
      try {
        Id root = Id.parse(s.file().tree());
        if (lost(root)) {
          paths.add(new AffectedPath("/", true, List.of(lostTrees.get(root))));
        } else if (affected(root)) {
          walk(affectedTrees.get(root), "/", paths);
        }
      } catch (HoldfastException e) {
        continue; // no valid root tree: reported by the structure check
      }
      if (!paths.list.isEmpty() || paths.omitted > 0) {
        Optional<String> plan = SnapshotFile.planOf(s.file().tags());
        out.add(new AffectedSnapshot(s.id().hex(), s.time().toInstant(), plan,
            s.file().hostname() == null ? "" : s.file().hostname(), paths.list, paths.omitted));
      }
    }
    return out;
  }

  /** True when tree {@code id} cannot be loaded (lost with a pack, unindexed, or unreadable). */
  private boolean lost(Id id) {
    if (lostTrees.containsKey(id)) {
      return true;
    }
    affected(id); // loads it, and marks it lost if it does not load
    return lostTrees.containsKey(id);
  }

  private boolean affected(Id id) {
    Boolean known = affected.get(id);
    if (known != null) {
      return known;
    }
    if (lostTrees.containsKey(id)) {
      affected.put(id, true);
      return true;
    }
    Tree tree;
    try {
      tree = places.loadTree(id, new HashMap<>());
    } catch (HoldfastException e) {
      PackedBlob where = repo.lookup(BlobType.TREE, id);
      lostTrees.put(id, where == null ? UNINDEXED : where.pack().shortHex());
      affected.put(id, true);
      return true;
    }
    boolean hit = false;
    for (Node n : tree.nodes()) {
      if (n.isFile()) {
        hit |= !lostPacks(n).isEmpty();
      } else if (n.isDir()) {
        Id sub = subtree(n);
        hit |= sub != null && affected(sub);
      }
    }
    affected.put(id, hit);
    if (hit) {
      affectedTrees.put(id, tree);
    }
    return hit;
  }

  private void walk(Tree tree, String path, Paths out) {
    for (Node n : tree.nodes()) {
      String child = path + n.name();
      if (n.isFile()) {
        List<String> packs = lostPacks(n);
        if (!packs.isEmpty()) {
          out.add(new AffectedPath(child, false, packs));
        }
      } else if (n.isDir()) {
        Id sub = subtree(n);
        if (sub == null) {
          continue;
        }
        if (lostTrees.containsKey(sub)) {
          out.add(new AffectedPath(child + "/", true, List.of(lostTrees.get(sub))));
        } else if (affected(sub)) {
          walk(affectedTrees.get(sub), child + "/", out);
        }
      }
    }
  }

  /** The packs (short ids, sorted) of the file's lost blobs; empty when none is lost. */
  private List<String> lostPacks(Node file) {
    TreeSet<String> packs = null;
    for (String blob : file.contentOrEmpty()) {
      String pack = Id.isId(blob) ? lostData.get(Id.parse(blob)) : null;
      if (pack != null) {
        if (packs == null) {
          packs = new TreeSet<>();
        }
        packs.add(pack);
      }
    }
    return packs == null ? List.of() : List.copyOf(packs);
  }

  private static Id subtree(Node dir) {
    return dir.subtree() != null && Id.isId(dir.subtree()) ? Id.parse(dir.subtree()) : null;
  }

  /** The paths of one snapshot, at most {@link #MAX_PATHS} of them. */
  private static final class Paths {
    final List<AffectedPath> list = new ArrayList<>();
    int omitted;

    void add(AffectedPath p) {
      if (list.size() < MAX_PATHS) {
        list.add(p);
      } else {
        omitted++;
      }
    }
  }
}
