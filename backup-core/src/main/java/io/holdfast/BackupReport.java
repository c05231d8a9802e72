package io.holdfast;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a backup did. {@link #snapshotId()} is present only when it succeeded; {@link #failure()}
 * only when it did not.
 *
 * @param gateHold how long the application was held (zero if the plan has no gate)
 * @param errors what went badly wrong without stopping the backup: a gate that failed to release,
 *     so that the application may still be held. Each is also logged at error level.
 */
public record BackupReport(
    String plan,
    Optional<String> snapshotId,
    List<PhaseChange> phases,
    Duration gateHold,
    List<DatasetReport> datasets,
    List<String> warnings,
    List<String> errors,
    Optional<Failure> failure) {

  public boolean succeeded() {
    return failure.isEmpty() && snapshotId.isPresent();
  }

  /** The last phase reached. */
  public Phase phase() {
    return phases.isEmpty() ? Phase.UNKNOWN : phases.get(phases.size() - 1).phase();
  }

  /** This report if it succeeded; otherwise throws a {@link HoldfastException} naming the failure. */
  public BackupReport orThrow() {
    if (succeeded()) {
      return this;
    }
    throw failure.orElseThrow().toException("backup " + plan);
  }
}
