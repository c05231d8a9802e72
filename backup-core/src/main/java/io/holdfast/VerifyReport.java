package io.holdfast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verify found (DESIGN.md section 6): the structure check's problems, the data check's
 * problems, how much was read, and a {@link Damage damage report} that traces every damaged or
 * missing pack to the snapshots and file paths that depend on it.
 *
 * <p>A report whose {@link #failure()} is present means the check could not run to the end (wrong
 * password, lock conflict, a store that cannot be listed); its counts and problems are then
 * incomplete. Otherwise the check ran: {@link #ok()} says whether the repository is sound.
 * Immutable and thread-safe.
 *
 * @param readData what part of the data was re-read: {@code none}, {@code all}, {@code n/m} or
 *     {@code P%} (as {@link VerifyPlan.DataCheck#toString()})
 * @param snapshots snapshot files examined
 * @param trees distinct tree blobs reached from the snapshots
 * @param dataBlobs distinct data blobs referenced by the files in those trees
 * @param packs packs named by the index
 * @param unindexedPacks short ids of packs no index names: not an error (an interrupted backup
 *     leaves them; prune removes them)
 * @param packsRead packs re-read in full by the data check (also packs the structure check found
 *     damaged, which are read to learn which blobs they lost)
 * @param bytesRead bytes of pack data read by the data check
 * @param structureProblems what the structure check found, for the packs the data check did not read
 *     and for every snapshot and tree
 * @param dataProblems what the data check found in the packs it read
 * @param findings what the plan's host validators found, in the snapshots they checked
 */
public record VerifyReport(
    List<PhaseChange> phases,
    Duration duration,
    String readData,
    int snapshots,
    int trees,
    long dataBlobs,
    int packs,
    List<String> unindexedPacks,
    int packsRead,
    long bytesRead,
    List<Problem> structureProblems,
    List<Problem> dataProblems,
    Damage damage,
    List<Finding> findings,
    List<String> warnings,
    Optional<Failure> failure) {

  public VerifyReport {
    phases = List.copyOf(phases);
    unindexedPacks = List.copyOf(unindexedPacks);
    structureProblems = List.copyOf(structureProblems);
    dataProblems = List.copyOf(dataProblems);
    Objects.requireNonNull(damage, "damage");
    findings = List.copyOf(findings);
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(failure, "failure");
  }

  /** True when the check ran to the end and found nothing wrong. */
  public boolean ok() {
    return failure.isEmpty() && structureProblems.isEmpty() && dataProblems.isEmpty() && findings.isEmpty();
  }

  /** Structure problems, then data problems. */
  public List<Problem> problems() {
    List<Problem> all = new ArrayList<>(structureProblems);
    all.addAll(dataProblems);
    return all;
  }

  /** The last phase reached. */
  public Phase phase() {
    return phases.isEmpty() ? Phase.UNKNOWN : phases.get(phases.size() - 1).phase();
  }

  /**
   * This report if the repository is sound. Otherwise throws: a {@link HoldfastException} naming
   * the failure when the check could not run, an {@link IntegrityException} naming the problems
   * and the affected snapshots when it found damage.
   */
  public VerifyReport orThrow() {
    if (failure.isPresent()) {
      Failure f = failure.get();
      throw new HoldfastException("verify failed in " + f.phase()
          + (f.subject() == null ? "" : " (" + f.subject() + ")") + ": " + f.message(), f.cause());
    }
    if (ok()) {
      return this;
    }
    List<Problem> all = problems();
    if (all.isEmpty()) {
      Finding f = findings.get(0);
      throw new IntegrityException("host validators found " + findings.size()
          + (findings.size() == 1 ? " problem" : " problems") + ", first: " + f);
    }
    StringBuilder m = new StringBuilder("the repository has ").append(all.size())
        .append(all.size() == 1 ? " problem" : " problems").append(", first: ").append(all.get(0).message());
    if (!damage.snapshots().isEmpty()) {
      m.append("; damage affects snapshots ").append(damage.snapshots().stream()
          .map(s -> s.id().substring(0, Math.min(8, s.id().length()))).toList());
    }
    throw new IntegrityException(m.toString());
  }

  /** What kind of thing is wrong. */
  public enum Kind {
    /** A snapshot file cannot be read or names no valid root tree. */
    SNAPSHOT,
    /** A tree blob a snapshot needs is not in any index. */
    TREE_MISSING,
    /** A tree blob is indexed but cannot be loaded (missing or damaged pack, bad JSON, unsafe names). */
    TREE_DAMAGED,
    /** A data blob a file needs is not in any index. */
    DATA_MISSING,
    /** The index names a pack that the repository does not hold. */
    PACK_MISSING,
    /** A pack cannot be read from the store at all (a storage error, not its content). */
    PACK_UNREADABLE,
    /** A pack's header cannot be read, decrypted or parsed. */
    PACK_HEADER,
    /** The index lists a blob in a pack whose header does not list it at that place. */
    PACK_MISMATCH,
    /** A pack's content does not hash to its name: its file is damaged. */
    PACK_HASH,
    /** A pack is shorter than the blobs the index places in it. */
    PACK_TRUNCATED,
    /** A blob does not decrypt, decompress or hash to its id. */
    BLOB_DAMAGED,
    /** A pack's header lists a blob that no index lists. */
    BLOB_NOT_INDEXED
  }

  /**
   * What a host validator found wrong in one snapshot (or that it failed to run: then
   * {@code path} is {@code /} and the message says why).
   *
   * @param snapshot the snapshot's full hex id
   */
  public record Finding(String validator, String snapshot, String path, String message) {
    public Finding {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return validator + " on snapshot " + snapshot.substring(0, Math.min(8, snapshot.length())) + " at " + path
          + ": " + message;
    }
  }

  /**
   * One thing wrong.
   *
   * @param subject the short id of the snapshot, tree, blob or pack concerned
   */
  public record Problem(Kind kind, String subject, String message) {
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * What the damage found costs: the damaged packs and the blobs they lost, blobs that snapshots
   * need but no index lists, and every snapshot with the paths that depend on a lost blob.
   */
  public record Damage(List<DamagedPack> packs, List<String> unindexedBlobs, List<AffectedSnapshot> snapshots) {
    /** No damage. */
    public static final Damage NONE = new Damage(List.of(), List.of(), List.of());

    public Damage {
      packs = List.copyOf(packs);
      unindexedBlobs = List.copyOf(unindexedBlobs);
      snapshots = List.copyOf(snapshots);
    }

    public boolean isEmpty() {
      return packs.isEmpty() && unindexedBlobs.isEmpty() && snapshots.isEmpty();
    }
  }

  /**
   * A pack that is missing or damaged.
   *
   * @param id the pack's full id
   * @param reasons what is wrong with it, one line each
   * @param blobs how many blobs the index places in it
   * @param lostBlobs full ids of the indexed blobs that cannot be read back from it and that no
   *     other pack holds a sound copy of: lost (all of them when the pack is missing and nothing is
   *     stored twice; none when only its header or padding is damaged)
   * @param copiedBlobs full ids of the indexed blobs that cannot be read back from it but that
   *     another indexed pack holds a sound copy of (two backups that ran at once both stored
   *     them): not lost, and no snapshot is reported for them
   */
  public record DamagedPack(String id, List<String> reasons, int blobs, List<String> lostBlobs,
      List<String> copiedBlobs) {
    public DamagedPack {
      Objects.requireNonNull(id, "id");
      reasons = List.copyOf(reasons);
      lostBlobs = List.copyOf(lostBlobs);
      copiedBlobs = List.copyOf(copiedBlobs);
    }
  }

  /**
   * A snapshot that depends on lost blobs.
   *
   * @param plan the backup plan that made it (its {@code plan:} tag), if any
   * @param paths the affected paths, absolute within the snapshot, directories ending in {@code /}
   * @param omittedPaths affected paths left out of {@code paths} to keep the report bounded
   */
  public record AffectedSnapshot(String id, Instant time, Optional<String> plan, String hostname,
      List<AffectedPath> paths, int omittedPaths) {
    public AffectedSnapshot {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(plan, "plan");
      paths = List.copyOf(paths);
    }
  }

  /**
   * A path whose data is lost.
   *
   * @param path the file (or, with {@code subtreeUnknown}, the directory) within the snapshot
   * @param subtreeUnknown true when the directory's own listing is lost: nothing below it can be
   *     named, and all of it is lost
   * @param packs short ids of the damaged packs the path's lost blobs were in; {@code unindexed}
   *     for a blob no index lists
   */
  public record AffectedPath(String path, boolean subtreeUnknown, List<String> packs) {
    public AffectedPath {
      Objects.requireNonNull(path, "path");
      packs = List.copyOf(packs);
    }
  }
}
