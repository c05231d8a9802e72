package io.holdfast;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a restore did: the snapshot it restored, phases, files and bytes written, how long it took,
 * how long the application was held, what was skipped and why.
 */
public record RestoreReport(
    Optional<String> snapshotId,
    List<PhaseChange> phases,
    long files,
    long bytes,
    Duration duration,
    Duration gateHold,
    List<String> skipped,
    List<String> warnings,
    Optional<Failure> failure) {

  public boolean succeeded() {
    return failure.isEmpty();
  }

  public RestoreReport orThrow() {
    if (succeeded()) {
      return this;
    }
    throw failure.orElseThrow().toException("restore");
  }
}
