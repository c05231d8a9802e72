package io.holdfast.cli;

import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Which snapshot a reading command works on: an id (or unique prefix), or {@code latest} narrowed
 * by {@code --at} and {@code --plan}. Shared by restore and export.
 */
final class SnapshotChoice {
  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or a unique prefix), or latest.")
  String snapshot;

  @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
      description = "With latest: the latest snapshot at or before TIME (2024-05-01T12:00:00Z, or local"
          + " 2024-05-01 12:00[:00]).")
  Instant at;

  @Option(names = "--plan", paramLabel = "NAME", description = "With latest: only snapshots of this backup plan.")
  String plan;

  /**
   * Refuses {@code --at} or {@code --plan} with a snapshot id: they choose among snapshots.
   *
   * @throws ParameterException naming the mistake, on the command of {@code spec}
   */
  void check(CommandSpec spec) {
    if (!"latest".equals(snapshot) && (at != null || plan != null)) {
      throw new ParameterException(spec.commandLine(),
          "--at and --plan choose among snapshots: give latest, not a snapshot id");
    }
  }
}
