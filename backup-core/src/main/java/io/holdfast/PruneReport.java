package io.holdfast;

import java.time.Duration;
import java.util.Optional;

/**
 * What a prune did, or for a dry run what it would do. Pack and blob counts; bytes are sizes of
 * pack files. {@link #failure()} is present only when the prune failed; the counts are then zero
 * (a failed prune leaves a sound repository, with at worst packs no index names).
 *
 * @param snapshots snapshots whose blobs were kept
 * @param blobsKept blobs the index lists afterwards
 * @param blobsRemoved index entries dropped: unused blobs and unused second copies
 * @param blobsRepacked used blobs copied into new packs
 * @param packsBefore pack files in the repository before
 * @param packsDeleted packs removed because no snapshot uses a blob in them
 * @param packsRepacked partly used packs whose used blobs were copied, then removed
 * @param packsWritten new packs written by the repack (estimated for a dry run)
 * @param unindexedPacksDeleted packs no index named, left by interrupted backups
 * @param missingPacksDropped packs the index named but the repository lacked, no longer needed
 * @param indexFilesRemoved old index files removed
 * @param indexFilesWritten new index files written
 * @param bytesBefore bytes of all pack files before
 * @param bytesFreed pack bytes removed less pack bytes written (estimated for a dry run)
 * @param unusedBytesAfter unused blob bytes left in kept packs, within the plan's allowed share
 */
public record PruneReport(
    boolean dryRun,
    int snapshots,
    long blobsKept,
    long blobsRemoved,
    long blobsRepacked,
    int packsBefore,
    int packsDeleted,
    int packsRepacked,
    int packsWritten,
    int unindexedPacksDeleted,
    int missingPacksDropped,
    int indexFilesRemoved,
    int indexFilesWritten,
    long bytesBefore,
    long bytesFreed,
    long unusedBytesAfter,
    Duration duration,
    Optional<Failure> failure) {

  public boolean succeeded() {
    return failure.isEmpty();
  }

  /** This report if the prune succeeded; otherwise throws a {@link HoldfastException} naming the failure. */
  public PruneReport orThrow() {
    if (succeeded()) {
      return this;
    }
    Failure f = failure.orElseThrow();
    throw new HoldfastException("prune failed: " + f.message(), f.cause());
  }
}
