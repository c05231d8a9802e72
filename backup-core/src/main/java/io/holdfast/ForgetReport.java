package io.holdfast;

import java.util.List;
import java.util.Optional;

/**
 * What a forget did: every snapshot judged, kept or removed with its reasons; which snapshot files
 * were deleted; and what became of the external references only the removed snapshots held.
 * A dry run deletes nothing and lists the references it would offer as {@link Outcome#WOULD_RELEASE}.
 *
 * @param kept the snapshots that stay, by group, newest first
 * @param removed the snapshots the policy forgets (in a dry run: would forget)
 * @param deleted ids of the snapshot files actually deleted; all of {@code removed} unless the run
 *     failed part way (or was a dry run: then none)
 * @param releases one entry per external reference the removed snapshots leave unreferenced and a
 *     releaser owns
 */
public record ForgetReport(
    boolean dryRun,
    List<RetentionDecision> kept,
    List<RetentionDecision> removed,
    List<String> deleted,
    List<Release> releases,
    List<PhaseChange> phases,
    List<String> warnings,
    Optional<Failure> failure) {

  /** What became of one external reference. */
  public enum Outcome {
    RELEASED,
    /** The releaser failed; the external data is still there ({@link Release#error()} says why). */
    FAILED,
    /** A dry run: it would be offered to its releaser. */
    WOULD_RELEASE
  }

  /**
   * One external reference ({@code key}={@code value}, as a manifest records it) and its outcome.
   *
   * @param error why the release failed; null unless {@link Outcome#FAILED}
   */
  public record Release(String key, String value, Outcome outcome, String error) {}

  public ForgetReport {
    kept = List.copyOf(kept);
    removed = List.copyOf(removed);
    deleted = List.copyOf(deleted);
    releases = List.copyOf(releases);
    phases = List.copyOf(phases);
    warnings = List.copyOf(warnings);
  }

  /** True if nothing failed: every removed snapshot is gone (or a dry run finished). Releases may still have failed. */
  public boolean succeeded() {
    return failure.isEmpty();
  }

  /** This report if it succeeded; otherwise throws a {@link HoldfastException} naming the failure. */
  public ForgetReport orThrow() {
    if (succeeded()) {
      return this;
    }
    throw failure.orElseThrow().toException("forget");
  }
}
