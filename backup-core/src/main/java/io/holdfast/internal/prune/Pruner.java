package io.holdfast.internal.prune;

import io.holdfast.IntegrityException;
import io.holdfast.internal.Progress;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.IndexFile;
import io.holdfast.internal.repo.PackCopier;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what no snapshot needs: see this package's description for the decisions and the order
 * of writes and deletions. The caller holds the repository's exclusive lock for the whole run.
 * One instance prunes once; not thread-safe.
 */
public final class Pruner {
  private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

  /** Tree reads in flight while the snapshots are walked: reads wait on storage, not on a core. */
  private static final int READERS = 8;

  private final Repository repo;
  private final RepositoryLock lock;
  private final double maxUnusedPercent;
  private final Progress progress;

  /**
   * What a prune did, or with {@code dryRun} would do. Counts of packs and blobs; bytes of pack
   * files.
   *
   * @param blobsKept blobs listed in the index afterwards
   * @param blobsRemoved index entries dropped: unused blobs and unused second copies
   * @param blobsRepacked blobs copied into new packs
   * @param packsDeleted indexed packs removed because no blob in them is used
   * @param packsRepacked packs whose used blobs were copied to new packs, then removed
   * @param unindexedPacksDeleted packs no index names (left by interrupted backups)
   * @param missingPacksDropped packs the index named that the repository does not hold, whose
   *     blobs no snapshot needs: dropped from the index
   * @param bytesFreed pack bytes removed less pack bytes written
   * @param unusedBytesAfter bytes of unused blobs left in kept packs, within the allowed share
   */
  public record Outcome(int snapshots, long blobsKept, long blobsRemoved, long blobsRepacked,
      int packsBefore, int packsDeleted, int packsRepacked, int packsWritten, int unindexedPacksDeleted,
      int missingPacksDropped, int indexFilesRemoved, int indexFilesWritten, long bytesBefore, long bytesFreed,
      long unusedBytesAfter) {}

  private record BlobRef(BlobType type, Id id) {
    static BlobRef of(PackedBlob b) {
      return new BlobRef(b.type(), b.id());
    }
  }

  /** An indexed, stored pack some of whose blobs are needed; {@code keep} lists those. */
  private record Partial(Id pack, long size, List<PackedBlob> keep, long unused, long entries) {
    double unusedShare() {
      return entries == 0 ? 0 : (double) unused / entries;
    }
  }

  /**
   * @param lock the exclusive lock the caller holds on {@code repo}; checked to be still held
   *     before anything is removed
   * @param maxUnusedPercent the share of unused blob bytes (0 to 100) allowed to stay in partly
   *     used packs after the prune; 100 never repacks
   */
  public Pruner(Repository repo, RepositoryLock lock, double maxUnusedPercent) {
    this(repo, lock, maxUnusedPercent, Progress.NONE);
  }

  /** Like {@link #Pruner(Repository, RepositoryLock, double)}; {@code progress} hears each step and the packs done. */
  public Pruner(Repository repo, RepositoryLock lock, double maxUnusedPercent, Progress progress) {
    if (!(maxUnusedPercent >= 0 && maxUnusedPercent <= 100)) {
      throw new IllegalArgumentException("max unused must be between 0 and 100 %, got " + maxUnusedPercent);
    }
    if (!lock.exclusive()) {
      throw new IllegalArgumentException("prune needs the exclusive lock, not a shared one");
    }
    this.repo = repo;
    this.lock = lock;
    this.maxUnusedPercent = maxUnusedPercent;
    this.progress = java.util.Objects.requireNonNull(progress, "progress");
  }

  /**
   * Plans the prune and, unless {@code dryRun}, carries it out.
   *
   * @throws IntegrityException if a snapshot needs a blob the repository does not hold or cannot
   *     read: nothing is removed then
   * @throws io.holdfast.StorageException if the store fails; what was removed until then leaves a
   *     sound repository (at worst packs no index names, which the next prune removes)
   */
  public Outcome run(boolean dryRun) {
    // snapshots before the index, as every reader (design.rst, read and write ordering)
    List<Repository.Snapshot> snapshots = repo.snapshots();
    repo.refreshIndex();
    List<Id> indexFiles = repo.list(FileType.INDEX);
    // restic reads superseded index files too: they must be gone before any pack they name is deleted
    int superseded = indexFiles.size() - repo.loadedIndexFiles().size();
    Map<Id, List<PackedBlob>> indexed = repo.indexedPacks(); // a blob stored twice is listed in both packs
    Map<Id, Long> stored = repo.sizes(FileType.PACK);
    ReachableBlobs used;
    Map<BlobRef, PackedBlob> chosen;
    ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> {
      Thread t = new Thread(r, "holdfast-prune-read");
      t.setDaemon(true);
      return t;
    });
    progress.step("finding the blobs " + snapshots.size() + " snapshots use, in " + indexed.size() + " packs");
    try {
      used = ReachableBlobs.of(repo, snapshots, readers);
      chosen = chooseCopies(indexed, stored, used);
    } catch (IntegrityException e) {
      throw new IntegrityException("prune stopped before removing anything: " + e.getMessage()
          + "; run check to see what is damaged", e);
    } finally {
      readers.shutdownNow();
    }

    List<Id> delete = new ArrayList<>();
    List<Id> missing = new ArrayList<>();
    List<Partial> partial = new ArrayList<>();
    Map<Id, List<PackedBlob>> kept = new TreeMap<>();
    long blobsBefore = 0;
    long usedBytes = 0;
    for (Map.Entry<Id, List<PackedBlob>> e : indexed.entrySet()) {
      Id pack = e.getKey();
      List<PackedBlob> blobs = e.getValue();
      blobsBefore += blobs.size();
      if (!stored.containsKey(pack)) {
        missing.add(pack);
        continue;
      }
      List<PackedBlob> keep = new ArrayList<>();
      long unused = 0;
      long all = 0;
      for (PackedBlob b : blobs) {
        all += b.length();
        if (b.equals(chosen.get(BlobRef.of(b)))) {
          keep.add(b);
          usedBytes += b.length();
        } else {
          unused += b.length();
        }
      }
      if (keep.isEmpty()) {
        delete.add(pack);
      } else if (keep.size() == blobs.size()) {
        kept.put(pack, blobs);
      } else {
        partial.add(new Partial(pack, stored.get(pack), keep, unused, all));
      }
    }
    List<Partial> repack = chooseRepacks(partial, usedBytes);
    // by pack id: a list's contains would compare whole records, for every partly used pack
    java.util.Set<Id> repacked = new java.util.HashSet<>();
    repack.forEach(p -> repacked.add(p.pack()));
    long unusedAfter = 0;
    for (Partial p : partial) {
      if (!repacked.contains(p.pack())) {
        kept.put(p.pack(), indexed.get(p.pack()));
        unusedAfter += p.unused();
      }
    }
    List<Id> unindexed = stored.keySet().stream().filter(id -> !indexed.containsKey(id)).sorted().toList();

    long blobsRepacked = repack.stream().mapToLong(p -> p.keep().size()).sum();
    long blobsKept = kept.values().stream().mapToLong(List::size).sum() + blobsRepacked;
    long removedBytes = sizes(stored, delete) + sizes(stored, unindexed)
        + repack.stream().mapToLong(Partial::size).sum();
    // superseded index files may name the packs an interrupted prune left: they go first
    boolean indexChanges = !delete.isEmpty() || !missing.isEmpty() || !repack.isEmpty() || superseded > 0;
    LOG.info("prune{}: {} snapshots use {} blobs; {} packs unused, {} to repack, {} unindexed, {} missing and unneeded",
        dryRun ? " (dry run)" : "", snapshots.size(), used.size(), delete.size(), repack.size(), unindexed.size(),
        missing.size());
    if (dryRun) {
      // the new packs' size is not known before they are written: estimated by the blobs they take
      long written = repack.stream().flatMap(p -> p.keep().stream()).mapToLong(PackedBlob::length).sum();
      return new Outcome(snapshots.size(), blobsKept, blobsBefore - blobsKept, blobsRepacked, stored.size(),
          delete.size(), repack.size(), estimatePacks(repack), unindexed.size(), missing.size(),
          indexChanges ? indexFiles.size() : 0, indexChanges ? indexFilesFor(blobsKept) : 0,
          sum(stored), removedBytes - written, unusedAfter);
    }

    // 1. new packs with the used blobs of the packs to repack
    Map<BlobType, PackCopier> copiers = new EnumMap<>(BlobType.class);
    List<IndexFile.Pack> newPacks = new ArrayList<>();
    long writtenBytes = 0;
    try {
      if (!repack.isEmpty()) {
        progress.step("repacking " + repack.size() + " partly used packs");
      }
      long done = 0;
      long doneBytes = 0;
      for (Partial p : repack) {
        copy(p, copiers);
        progress.done(++done, doneBytes += p.size());
      }
      for (PackCopier c : copiers.values()) {
        c.finish();
        newPacks.addAll(c.written());
        writtenBytes += c.bytes();
      }
    } catch (RuntimeException e) {
      removeUnindexed(copiers, e);
      throw e;
    }
    // 2. the new index, then 3. the old index files go: no index names a pack about to be removed
    lock.ensureHeld();
    int indexWritten = 0;
    int indexRemoved = 0;
    if (indexChanges) {
      progress.step("writing the index of " + (kept.size() + newPacks.size()) + " packs");
      List<IndexFile.Pack> all = new ArrayList<>();
      kept.forEach((id, blobs) -> all.add(new IndexFile.Pack(id.hex(), blobs.stream().map(IndexFile.Blob::of).toList())));
      all.addAll(newPacks);
      indexWritten = repo.writeIndexFiles(all, indexFiles);
      for (Id old : indexFiles) {
        remove(FileType.INDEX.key(old));
        indexRemoved++;
      }
    }
    // 4. packs, last
    lock.ensureHeld();
    List<Id> packs = new ArrayList<>(delete);
    repack.forEach(p -> packs.add(p.pack()));
    packs.addAll(unindexed);
    if (!packs.isEmpty()) {
      progress.step("deleting " + packs.size() + " packs");
    }
    long deleted = 0;
    long deletedBytes = 0;
    for (Id pack : packs) {
      remove(FileType.PACK.key(pack));
      progress.done(++deleted, deletedBytes += stored.get(pack));
    }
    LOG.info("prune: removed {} packs ({} bytes), wrote {} packs ({} bytes) and {} index files",
        packs.size(), removedBytes, newPacks.size(), writtenBytes, indexWritten);
    return new Outcome(snapshots.size(), blobsKept, blobsBefore - blobsKept, blobsRepacked, stored.size(),
        delete.size(), repack.size(), newPacks.size(), unindexed.size(), missing.size(), indexRemoved, indexWritten,
        sum(stored), removedBytes - writtenBytes, unusedAfter);
  }

  /**
   * One stored copy of every needed blob: where a blob is stored twice, the copy in the pack with
   * the larger share of needed bytes, so that the other copy's pack is the one to go.
   *
   * @throws IntegrityException if a needed blob has no copy in a stored pack
   */
  private static Map<BlobRef, PackedBlob> chooseCopies(Map<Id, List<PackedBlob>> indexed, Map<Id, Long> stored,
      ReachableBlobs used) {
    Map<Id, Double> share = new HashMap<>();
    indexed.forEach((pack, blobs) -> {
      long all = 0;
      long needed = 0;
      for (PackedBlob b : blobs) {
        all += b.length();
        needed += used.contains(b.type(), b.id()) ? b.length() : 0;
      }
      share.put(pack, all == 0 ? 0 : (double) needed / all);
    });
    Map<BlobRef, PackedBlob> chosen = new HashMap<>();
    indexed.forEach((pack, blobs) -> {
      if (!stored.containsKey(pack)) {
        return;
      }
      for (PackedBlob b : blobs) {
        if (used.contains(b.type(), b.id())) {
          chosen.merge(BlobRef.of(b), b, (a, c) -> share.get(c.pack()) > share.get(a.pack()) ? c : a);
        }
      }
    });
    requireAll(used.trees(), BlobType.TREE, chosen);
    requireAll(used.data(), BlobType.DATA, chosen);
    return chosen;
  }

  private static void requireAll(Iterable<Id> ids, BlobType type, Map<BlobRef, PackedBlob> chosen) {
    for (Id id : ids) {
      if (!chosen.containsKey(new BlobRef(type, id))) {
        throw new IntegrityException(type.json() + " blob " + id.shortHex()
            + " is needed by a snapshot but the packs the index names for it are missing");
      }
    }
  }

  /**
   * The partly used packs to repack, most wasteful first, until the unused bytes left are at most
   * {@code maxUnusedPercent} of all blob bytes kept (restic's {@code --max-unused} rule).
   */
  private List<Partial> chooseRepacks(List<Partial> partial, long usedBytes) {
    List<Partial> order = new ArrayList<>(partial);
    order.sort(Comparator.comparingDouble(Partial::unusedShare).reversed()
        .thenComparing(Comparator.comparingLong(Partial::unused).reversed())
        .thenComparing(Partial::pack));
    double allowed = maxUnusedPercent >= 100 ? Double.POSITIVE_INFINITY
        : (double) usedBytes * maxUnusedPercent / (100 - maxUnusedPercent);
    long unused = order.stream().mapToLong(Partial::unused).sum();
    List<Partial> out = new ArrayList<>();
    for (Partial p : order) {
      if (unused <= allowed) {
        break;
      }
      out.add(p);
      unused -= p.unused();
    }
    return out;
  }

  /** Reads a pack once, checks each blob to keep and copies its stored bytes to a new pack. */
  private void copy(Partial p, Map<BlobType, PackCopier> copiers) {
    String key = FileType.PACK.key(p.pack());
    byte[] bytes;
    try {
      bytes = repo.store().get(key);
    } catch (IOException e) {
      throw new io.holdfast.StorageException("cannot read " + key + " to repack it: " + e, e);
    }
    for (PackedBlob b : p.keep()) {
      if (b.offset() + b.length() > bytes.length) {
        throw new IntegrityException("pack " + p.pack().shortHex() + " is truncated: " + b.type().json() + " blob "
            + b.id().shortHex() + " ends past its end; prune stopped before removing anything");
      }
      repo.decodeBlob(b, bytes, (int) b.offset(), b.length()); // a damaged blob stops the prune here
      copiers.computeIfAbsent(b.type(), t -> new PackCopier(repo, t)).add(b, bytes, (int) b.offset());
    }
  }

  /**
   * Deletes the packs a failed repack put: no index names them yet, so nothing needs them (a later
   * prune would delete them as unindexed packs anyway). Failures are added to {@code cause}.
   */
  private void removeUnindexed(Map<BlobType, PackCopier> copiers, RuntimeException cause) {
    for (PackCopier c : copiers.values()) {
      for (IndexFile.Pack pack : c.written()) {
        try {
          remove(FileType.PACK.key(Id.parse(pack.id())));
        } catch (RuntimeException e) {
          cause.addSuppressed(e);
        }
      }
    }
  }

  private void remove(String key) {
    try {
      repo.store().delete(key);
    } catch (NoSuchFileException e) {
      LOG.debug("{} was already gone", key);
    } catch (IOException e) {
      throw new io.holdfast.StorageException("cannot delete " + key + ": " + e, e);
    }
  }

  /** The packs a repack of {@code repack} writes: {@link PackCopier}'s cuts, replayed on the blob sizes. */
  private int estimatePacks(List<Partial> repack) {
    Map<BlobType, Long> open = new EnumMap<>(BlobType.class);
    int packs = 0;
    int packSize = repo.options().packSize();
    for (Partial p : repack) {
      for (PackedBlob b : p.keep()) {
        long size = open.merge(b.type(), (long) b.length(), Long::sum);
        if (size >= packSize) {
          packs++;
          open.put(b.type(), 0L);
        }
      }
    }
    return packs + (int) open.values().stream().filter(v -> v > 0).count();
  }

  private static int indexFilesFor(long blobs) {
    return (int) ((blobs + Repository.BLOBS_PER_INDEX - 1) / Repository.BLOBS_PER_INDEX);
  }

  private static long sizes(Map<Id, Long> stored, List<Id> packs) {
    return packs.stream().mapToLong(stored::get).sum();
  }

  private static long sum(Map<Id, Long> stored) {
    return stored.values().stream().mapToLong(Long::longValue).sum();
  }
}
