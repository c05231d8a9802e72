package io.holdfast.cli;

import io.holdfast.BackupEngine;
import io.holdfast.RestorePlan;
import io.holdfast.RestoreReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast restore}: a snapshot's datasets, or some of their files, into a target
 * directory: dataset {@code NAME} goes to {@code TARGET/NAME}.
 */
@Command(name = "restore",
    description = {"Restore a snapshot's datasets into TARGET/<dataset>.",
        "A non-empty target is refused unless --overwrite or --swap is given."})
final class RestoreCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Mixin SnapshotChoice choice;

  @Option(names = "--target", paramLabel = "DIR", required = true, description = "Directory to restore into.")
  Path target;

  @Option(names = "--dataset", paramLabel = "NAME", description = "Restore only this dataset (repeatable; default all).")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--include", paramLabel = "GLOB",
      description = "Restore only paths matching GLOB, relative to the dataset, e.g. 'docs/**' (repeatable).")
  List<String> includes = new ArrayList<>();

  @Option(names = "--overwrite", description = "Write over what is in the target; other files stay.")
  boolean overwrite;

  @Option(names = "--swap", description = "Restore beside each target directory, then rename it into place.")
  boolean swap;

  @Mixin GateOptions gate;

  RestoreCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** The one object {@code restore --json} prints. */
  record Summary(String messageType, String snapshotId, String target, long files, long bytes, long durationMs,
      long gateHoldMs, List<String> skipped, List<String> warnings, BackupCommand.FailureSummary failure) {
    static Summary of(RestoreReport r, Path target) {
      return new Summary("summary", r.snapshotId().orElse(null), target.toString(), r.files(), r.bytes(),
          r.duration().toMillis(), r.gateHold().toMillis(), r.skipped(), r.warnings(),
          r.failure().map(BackupCommand.FailureSummary::of).orElse(null));
    }
  }

  @Override
  public Integer call() {
    if (overwrite && swap) {
      throw new ParameterException(spec.commandLine(), "--overwrite and --swap exclude each other");
    }
    choice.check(spec);
    Path dir = target.toAbsolutePath().normalize();
    RestorePlan.Builder b = RestorePlan.builder(root.repository()).snapshot(choice.snapshot).targetRoot(dir)
        .mode(overwrite ? RestorePlan.Mode.OVERWRITE : swap ? RestorePlan.Mode.ATOMIC_SWAP : RestorePlan.Mode.REFUSE_NON_EMPTY);
    if (choice.at != null) {
      b.asOf(choice.at);
    }
    if (choice.plan != null) {
      b.plan(choice.plan);
    }
    datasets.forEach(b::dataset);
    includes.forEach(b::include);
    gate.gate().ifPresent(b::gate);
    RestoreReport report;
    try (BackupEngine engine = BackupEngine.builder().build()) {
      report = engine.restore(b.build());
    }
    if (root.json) {
      root.printJson(Summary.of(report, dir));
    } else {
      report.warnings().forEach(root::warn);
      report.skipped().forEach(s -> root.warn("skipped " + s));
    }
    report.orThrow();
    root.say("restored snapshot " + report.snapshotId().orElseThrow().substring(0, 8) + " to " + dir + ": "
        + report.files() + " files, " + HumanUnits.bytes(report.bytes()) + " in "
        + HumanUnits.duration(report.duration()));
    return ExitCode.OK.code;
  }
}
