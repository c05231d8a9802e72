package io.holdfast.internal.checker;

import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.VerifyReport.Damage;
import io.holdfast.VerifyReport.DamagedPack;
import io.holdfast.VerifyReport.Problem;
import io.holdfast.internal.Progress;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A whole verify: the data check of the selected packs, the structure check of everything else,
 * and a damage report. Packs the structure check finds damaged are read in full too, to learn
 * which of their blobs are lost; their problems stay with the structure check's. The data check
 * runs first and hands the trees it verified to the structure walk (up to {@link #TREE_BUDGET}
 * bytes), so a verify that reads all data fetches each pack byte once.
 *
 * <p>The caller opens the repository and holds a lock on it. Not thread-safe; one instance runs
 * one verify at a time.
 */
public final class Verifier {
  /**
   * Plaintext bytes of the trees the data check verified that are held for the structure walk;
   * trees beyond it are fetched by the walk again. Trees are a small part of a repository.
   */
  static final long TREE_BUDGET = 64L << 20;

  /**
   * What a verify found.
   *
   * @param dataProblems the data check's problems in the packs it was asked to read
   * @param packsRead every pack read in full, including damaged ones read for the damage report
   */
  public record Result(StructureChecker.Result structure, List<Problem> dataProblems, int packsRead, long bytesRead,
      Damage damage) {
    public Result {
      dataProblems = List.copyOf(dataProblems);
    }
  }

  private final Repository repo;
  private final int parallelism;
  private final Progress progress;

  public Verifier(Repository repo, int parallelism) {
    this(repo, parallelism, Progress.NONE);
  }

  /** @param progress hears each step and, while packs are read in full, the packs and bytes done */
  public Verifier(Repository repo, int parallelism, Progress progress) {
    this.repo = Objects.requireNonNull(repo, "repo");
    this.parallelism = parallelism;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Runs the verify; {@code random} draws a percentage selection. */
  public Result verify(DataCheck readData, Random random) {
    Map<Id, List<PackedBlob>> byPack = repo.indexedPacks();
    BlobPlaces places = BlobPlaces.of(repo);
    SortedSet<Id> selected = PackSelection.select(byPack.keySet(), readData, random);
    DataChecker data = new DataChecker(repo, parallelism);
    VerifiedTrees trees = new VerifiedTrees(TREE_BUDGET);
    if (!selected.isEmpty()) {
      progress.step("data check: reading " + selected.size() + " of " + byPack.size() + " packs");
    }
    DataChecker.Result read = data.check(selected, byPack, trees, progress);
    progress.step("structure check: " + (byPack.size() - selected.size())
        + " pack headers, then every snapshot's trees");
    StructureChecker.Result structure = new StructureChecker(repo).check(byPack, places, selected, trees);
    if (!structure.damagedPacks().isEmpty()) {
      progress.step("reading " + structure.damagedPacks().size() + " damaged packs to learn what they lost");
    }
    DataChecker.Result suspects = data.check(structure.damagedPacks(), byPack, null, progress);

    List<DataChecker.PackOutcome> damaged = new ArrayList<>(read.damaged());
    damaged.addAll(suspects.damaged());
    damaged.sort((a, b) -> a.pack().compareTo(b.pack()));
    return new Result(structure, read.problems(), read.packsRead() + suspects.packsRead(),
        read.bytesRead() + suspects.bytesRead(), damage(damaged, structure, places));
  }

  /**
   * What the damage costs. A blob that cannot be read back from a damaged pack is lost only if no
   * other of its places holds a sound copy: a place in a pack read in full that verified, or in a
   * pack the checks found no fault with.
   */
  private Damage damage(List<DataChecker.PackOutcome> damaged, StructureChecker.Result structure,
      BlobPlaces places) {
    Set<PackedBlob> unreadable = new HashSet<>();
    damaged.forEach(o -> unreadable.addAll(o.lost()));
    Map<Id, String> lostData = new HashMap<>();
    Map<Id, String> lostTrees = new HashMap<>();
    List<DamagedPack> packs = new ArrayList<>();
    for (DataChecker.PackOutcome o : damaged) {
      Set<String> lost = new LinkedHashSet<>();
      Set<String> copied = new LinkedHashSet<>();
      for (PackedBlob b : o.lost()) {
        if (places.places(b.type(), b.id()).stream().anyMatch(p -> !unreadable.contains(p))) {
          copied.add(b.id().hex());
        } else {
          lost.add(b.id().hex());
          (b.type() == BlobType.DATA ? lostData : lostTrees).put(b.id(), o.pack().shortHex());
        }
      }
      packs.add(new DamagedPack(o.pack().hex(), o.problems().stream().map(Problem::message).toList(),
          o.indexedBlobs(), List.copyOf(lost), List.copyOf(copied)));
    }
    Set<String> unindexed = new TreeSet<>();
    addNeeded(structure.lostData(), BlobType.DATA, lostData, unindexed);
    addNeeded(structure.lostTrees(), BlobType.TREE, lostTrees, unindexed);
    if (lostData.isEmpty() && lostTrees.isEmpty()) {
      return packs.isEmpty() ? Damage.NONE : new Damage(packs, List.of(), List.of());
    }
    progress.step("tracing " + (lostData.size() + lostTrees.size())
        + " lost blobs to the snapshots and files that need them");
    return new Damage(packs, List.copyOf(unindexed), new DamageTracer(repo, places, lostData, lostTrees).trace());
  }

  /** Adds blobs the structure check found a snapshot needs but cannot read, each with where it was. */
  private void addNeeded(Set<Id> ids, BlobType type, Map<Id, String> lost, Set<String> unindexed) {
    for (Id id : ids) {
      if (lost.containsKey(id)) {
        continue;
      }
      PackedBlob where = repo.lookup(type, id);
      if (where == null) {
        unindexed.add(id.hex());
      }
      lost.put(id, where == null ? DamageTracer.UNINDEXED : where.pack().shortHex());
    }
  }
}
