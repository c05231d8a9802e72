package io.holdfast.internal.checker;

import io.holdfast.HoldfastException;
import io.holdfast.VerifyReport.Kind;
import io.holdfast.VerifyReport.Problem;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a repository's structure without reading file contents (DESIGN.md section 6, "verify:
 * structure"): every pack the index names exists and its own header agrees with the index, every
 * snapshot file opens, and every tree and data blob a snapshot reaches is in the index.
 *
 * <p>Reads each pack's header (one or two ranged reads) and every tree blob (but those a data check
 * verified already); never a data blob.
 * Problems are collected, not thrown: a check goes on past a damaged tree to find the rest. A
 * storage error that stops one read is a problem of that item; only a failure to list the store
 * ends the check with an exception.
 *
 * <p>The caller opens the repository and holds a lock on it (shared is enough: a backup only adds
 * files, so a concurrent one cannot make a sound repository look broken). One instance runs one
 * check at a time; it is not thread-safe.
 */
public final class StructureChecker {
  /**
   * What a check found.
   *
   * @param snapshots snapshot files examined
   * @param trees distinct tree blobs reached from the snapshots
   * @param dataBlobs distinct data blobs referenced by the files in those trees
   * @param packs packs named by the index
   * @param unindexedPacks short ids of packs in the repository that no index names: not an error
   *     (left by an interrupted backup, removable by prune)
   * @param problems everything wrong, in the order found
   * @param damagedPacks the packs with a problem of their own (missing, unreadable header, header
   *     and index disagree)
   * @param lostTrees trees a snapshot needs that are not indexed or cannot be loaded
   * @param lostData data blobs a file needs that are not indexed
   */
  public record Result(int snapshots, int trees, long dataBlobs, int packs, List<String> unindexedPacks,
      List<Problem> problems, Set<Id> damagedPacks, Set<Id> lostTrees, Set<Id> lostData) {
    public Result {
      unindexedPacks = List.copyOf(unindexedPacks);
      problems = List.copyOf(problems);
      damagedPacks = Set.copyOf(damagedPacks);
      lostTrees = Set.copyOf(lostTrees);
      lostData = Set.copyOf(lostData);
    }

    /** True when nothing is wrong. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Repository repo;

  public StructureChecker(Repository repo) {
    this.repo = Objects.requireNonNull(repo, "repo");
  }

  /**
   * Runs the check: packs against the index first, then snapshots and the trees they reach.
   *
   * @throws io.holdfast.StorageException if the store cannot even be listed
   */
  public Result check() {
    Map<Id, List<PackedBlob>> byPack = repo.indexedPacks();
    return check(byPack, BlobPlaces.of(repo), Set.of(), new VerifiedTrees(Verifier.TREE_BUDGET));
  }

  /**
   * Runs the check, leaving out the pack checks (exists, header agrees with index) of the packs in
   * {@code checkedElsewhere}: a data check that reads those packs makes the same checks. Trees in
   * {@code verified} (verified by that data check) are taken from there instead of the store; a
   * tree whose first place does not verify is loaded from another of its {@code places}.
   *
   * @param byPack the index's blobs by pack, as {@link Repository#indexedPacks} returns them
   */
  Result check(Map<Id, List<PackedBlob>> byPack, BlobPlaces places, Set<Id> checkedElsewhere,
      VerifiedTrees verified) {
    List<Problem> problems = new ArrayList<>();
    Map<Id, Long> stored = repo.sizes(FileType.PACK);
    Set<Id> damaged = new HashSet<>();
    checkPacks(byPack, stored, checkedElsewhere, problems, damaged, verified);
    Set<Id> indexedPacks = byPack.keySet();
    List<String> unindexed = new ArrayList<>();
    for (Id pack : new TreeSet<>(stored.keySet())) {
      if (!indexedPacks.contains(pack)) {
        unindexed.add(pack.shortHex());
      }
    }
    Walk walk = new Walk(problems, places, verified);
    List<Id> snapshots = repo.list(FileType.SNAPSHOT);
    for (Id id : snapshots) {
      walk.snapshot(id);
    }
    return new Result(snapshots.size(), walk.trees.size(), walk.data.size(), indexedPacks.size(), unindexed,
        problems, damaged, walk.lostTrees, walk.lostData);
  }

  /**
   * Compares each indexed pack's header with the index. The trees in the bytes read with a header
   * (all of a small pack's) go to {@code verified} once they verify, so the walk need not fetch
   * them again.
   */
  private void checkPacks(Map<Id, List<PackedBlob>> byPack, Map<Id, Long> stored, Set<Id> skip, List<Problem> problems,
      Set<Id> damaged, VerifiedTrees verified) {
    for (Map.Entry<Id, List<PackedBlob>> e : byPack.entrySet()) {
      Id pack = e.getKey();
      if (skip.contains(pack)) {
        continue;
      }
      List<PackedBlob> indexed = e.getValue();
      int before = problems.size();
      Long size = stored.get(pack);
      if (size == null) {
        problems.add(missing(pack, indexed.size()));
      } else {
        try {
          byte[] tail = repo.readPackTail(pack, size);
          problems.addAll(headerDisagreements(pack, repo.parsePackHeader(pack, tail, size), indexed));
          offerTrees(pack, indexed, tail, size, verified);
        } catch (RuntimeException ex) { // a damaged pack's last bytes may hold any length
          problems.add(new Problem(Kind.PACK_HEADER, pack.shortHex(),
              "pack " + pack.shortHex() + ": cannot read its header: " + describe(ex)));
        }
      }
      if (problems.size() > before) {
        damaged.add(pack);
      }
    }
  }

  /**
   * Offers the indexed trees that lie in a pack's {@code tail}, and the one that starts before it
   * (its first bytes fetched now), once they verify; the walk reports those that do not.
   */
  private void offerTrees(Id pack, List<PackedBlob> indexed, byte[] tail, long size, VerifiedTrees verified) {
    long tailStart = size - tail.length;
    for (PackedBlob b : indexed) {
      long end = b.offset() + b.length();
      if (b.type() != BlobType.TREE || end <= tailStart || end > size || b.offset() < 0
          || !verified.hasRoom(Math.max(b.length(), b.plaintextLength()))) {
        continue;
      }
      try {
        byte[] stored = tail;
        int at = (int) (b.offset() - tailStart);
        if (at < 0) {
          stored = Arrays.copyOf(repo.readPack(pack, b.offset(), -at, "tree blob " + b.id().shortHex()), b.length());
          System.arraycopy(tail, 0, stored, -at, (int) (end - tailStart));
          at = 0;
        }
        verified.offer(b.id(), repo.decodeBlob(b, stored, at, b.length()));
      } catch (RuntimeException e) { // the walk reports it, or loads it again and reports what it finds
        verified.bad(b, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
  }

  static String describe(RuntimeException e) {
    return e instanceof HoldfastException && e.getMessage() != null ? e.getMessage() : "damaged (" + e + ")";
  }

  static Problem missing(Id pack, int blobs) {
    return new Problem(Kind.PACK_MISSING, pack.shortHex(), "pack " + pack.shortHex()
        + " is in the index (" + blobs + " blobs) but not in the repository");
  }

  /** The index entries of {@code pack} that its header does not list at the same place. */
  static List<Problem> headerDisagreements(Id pack, List<PackedBlob> header, List<PackedBlob> indexed) {
    List<Problem> problems = new ArrayList<>();
    Set<PackedBlob> listed = new HashSet<>(header);
    for (PackedBlob b : indexed) {
      if (!listed.contains(b)) {
        problems.add(new Problem(Kind.PACK_MISMATCH, pack.shortHex(), "pack " + pack.shortHex() + ": the index lists "
            + b.type().json() + " blob " + b.id().shortHex() + " at offset " + b.offset() + ", length " + b.length()
            + ", but the pack's header " + whereHeaderHas(header, b)));
      }
    }
    return problems;
  }

  private static String whereHeaderHas(List<PackedBlob> header, PackedBlob wanted) {
    for (PackedBlob h : header) {
      if (h.id().equals(wanted.id()) && h.type() == wanted.type()) {
        return "has it at offset " + h.offset() + ", length " + h.length()
            + (h.uncompressedLength() == wanted.uncompressedLength() ? "" : ", uncompressed length "
                + h.uncompressedLength() + " (index: " + wanted.uncompressedLength() + ")");
      }
    }
    return "does not list it";
  }

  /** The trees and data blobs reached so far, each checked once however many snapshots share it. */
  private final class Walk {
    final List<Problem> problems;
    final BlobPlaces places;
    final VerifiedTrees verified;
    final Set<Id> trees = new HashSet<>();
    final Set<Id> data = new HashSet<>();
    final Set<Id> lostTrees = new HashSet<>();
    final Set<Id> lostData = new HashSet<>();

    Walk(List<Problem> problems, BlobPlaces places, VerifiedTrees verified) {
      this.problems = problems;
      this.places = places;
      this.verified = verified;
    }

    void snapshot(Id id) {
      Id root;
      try {
        root = Id.parse(repo.loadSnapshot(id).file().tree());
      } catch (HoldfastException e) {
        problems.add(new Problem(Kind.SNAPSHOT, id.shortHex(), "snapshot " + id.shortHex() + ": " + e.getMessage()));
        return;
      }
      Deque<Id> todo = new ArrayDeque<>();
      Deque<String> paths = new ArrayDeque<>();
      todo.push(root);
      paths.push("/");
      while (!todo.isEmpty()) {
        tree(id, todo.pop(), paths.pop(), todo, paths);
      }
    }

    private void tree(Id snapshot, Id id, String path, Deque<Id> todo, Deque<String> paths) {
      if (!trees.add(id)) {
        return;
      }
      String where = " (" + path + " in snapshot " + snapshot.shortHex() + ")";
      if (repo.lookup(BlobType.TREE, id) == null) {
        problems.add(new Problem(Kind.TREE_MISSING, id.shortHex(), "tree " + id.shortHex() + where + " is not in any index"));
        lostTrees.add(id);
        return;
      }
      Tree tree;
      Map<PackedBlob, String> badCopies = new LinkedHashMap<>(verified.badCopies(id));
      try {
        byte[] plain = verified.take(id);
        tree = plain != null ? Repository.checkedTree(id, plain) : places.loadTree(id, badCopies);
      } catch (HoldfastException e) {
        problems.add(new Problem(Kind.TREE_DAMAGED, id.shortHex(), "tree " + id.shortHex() + where + ": " + e.getMessage()));
        lostTrees.add(id);
        return;
      }
      for (String bad : badCopies.values()) { // a sound copy elsewhere was used: not lost, but damaged here
        problems.add(new Problem(Kind.TREE_DAMAGED, id.shortHex(), "tree " + id.shortHex() + where + ": "
            + bad + "; another pack holds a sound copy"));
      }
      for (Node n : tree.nodes()) {
        String child = path + n.name();
        try {
          if (n.isDir()) {
            if (n.subtree() == null) {
              problems.add(new Problem(Kind.TREE_DAMAGED, id.shortHex(), "tree " + id.shortHex() + where
                  + ": directory " + n.name() + " has no subtree"));
            } else {
              todo.push(Id.parse(n.subtree()));
              paths.push(child + "/");
            }
          } else if (n.isFile()) {
            for (String blob : n.contentOrEmpty()) {
              Id b = Id.parse(blob);
              if (data.add(b) && repo.lookup(BlobType.DATA, b) == null) {
                lostData.add(b);
                problems.add(new Problem(Kind.DATA_MISSING, b.shortHex(), "data blob " + b.shortHex() + " of " + child
                    + " (snapshot " + snapshot.shortHex() + ") is not in any index"));
              }
            }
          }
        } catch (HoldfastException e) {
          problems.add(new Problem(Kind.TREE_DAMAGED, id.shortHex(), "tree " + id.shortHex() + where
              + ": entry " + n.name() + ": " + e.getMessage()));
        }
      }
    }
  }
}
