package io.holdfast.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a provider may know about the backup it freezes a dataset for: to tag and describe what it
 * makes outside the repository (an EBS snapshot) so an operator can tell whose it is.
 *
 * @param plan the backup plan's name
 * @param dataset the dataset's name
 * @param runId a random id of this backup run, also written into the snapshot's manifest; known
 *     before the snapshot is committed, unlike the snapshot's own id
 * @param started when the run started, by the engine's clock
 */
public record SnapshotContext(String plan, String dataset, String runId, Instant started) {
  public SnapshotContext {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(started, "started");
  }
}
