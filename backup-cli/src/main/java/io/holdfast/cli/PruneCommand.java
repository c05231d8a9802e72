package io.holdfast.cli;

import io.holdfast.BackupEngine;
import io.holdfast.PrunePlan;
import io.holdfast.PruneReport;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast prune}: removes the data no snapshot needs, under the repository's exclusive
 * lock. Remove snapshots first (restic's {@code forget}), then prune.
 */
@Command(name = "prune",
    description = {"Remove the data no snapshot needs.",
        "Deletes packs no snapshot uses and repacks partly used ones until at most",
        "--max-unused of the data is unused; packs no index names (left by interrupted",
        "backups) go too. Takes the exclusive lock: fails (exit 11) while a backup or",
        "restore runs, unless --retry-lock gives it time to wait."})
final class PruneCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Option(names = {"-n", "--dry-run"}, description = "Only report what would be removed and repacked.")
  boolean dryRun;

  @Option(names = "--max-unused", paramLabel = "LIMIT", defaultValue = "5%",
      description = "Unused data allowed to stay, as a percentage of the data kept (default: ${DEFAULT-VALUE}),"
          + " or 'unlimited' to repack nothing.")
  String maxUnused;

  @Option(names = "--retry-lock", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Retry for this long while another process holds a lock (e.g. 10m).")
  Duration retryLock;

  PruneCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** The object {@code prune --json} prints. */
  record Summary(boolean dryRun, int snapshots, int packsBefore, int packsDeleted, int packsRepacked,
      int packsWritten, int unindexedPacksDeleted, int missingPacksDropped, long blobsKept, long blobsRemoved,
      long blobsRepacked, int indexFilesRemoved, int indexFilesWritten, long bytesBefore, long bytesFreed,
      long unusedBytesAfter, long durationMs) {
    static Summary of(PruneReport r) {
      return new Summary(r.dryRun(), r.snapshots(), r.packsBefore(), r.packsDeleted(), r.packsRepacked(),
          r.packsWritten(), r.unindexedPacksDeleted(), r.missingPacksDropped(), r.blobsKept(), r.blobsRemoved(),
          r.blobsRepacked(), r.indexFilesRemoved(), r.indexFilesWritten(), r.bytesBefore(), r.bytesFreed(),
          r.unusedBytesAfter(), r.duration().toMillis());
    }
  }

  @Override
  public Integer call() {
    PrunePlan.Builder plan = PrunePlan.builder(root.repository()).maxUnusedPercent(percent()).dryRun(dryRun);
    if (retryLock != null) {
      plan.lockWait(retryLock);
    }
    if (!dryRun) {
      root.say("loading the index and the snapshots' trees; the repository is locked exclusively");
    }
    PruneReport report = BackupEngine.run(plan.build()).orThrow();
    if (root.json) {
      root.printJson(Summary.of(report));
      return ExitCode.OK.code;
    }
    String would = dryRun ? "would " : "";
    root.say(report.snapshots() + " snapshots use " + report.blobsKept() + " blobs in the repository's "
        + report.packsBefore() + " packs (" + HumanUnits.bytes(report.bytesBefore()) + ")");
    root.say(String.format(Locale.ROOT, "%sdelete %d unused packs, %d packs no index names, and repack %d packs"
        + " (%d blobs into %d new packs)", would, report.packsDeleted(), report.unindexedPacksDeleted(),
        report.packsRepacked(), report.blobsRepacked(), report.packsWritten()));
    if (report.missingPacksDropped() > 0) {
      root.say(would + "drop " + report.missingPacksDropped() + " missing, unneeded packs from the index");
    }
    root.say(String.format(Locale.ROOT, "%sremove %d blobs, %sfree %s; %s unused stays in kept packs",
        would, report.blobsRemoved(), would, HumanUnits.bytes(Math.max(0, report.bytesFreed())),
        HumanUnits.bytes(report.unusedBytesAfter())));
    if (dryRun) {
      root.say("dry run: nothing was changed");
    } else {
      root.say("rewrote the index: " + report.indexFilesWritten() + " files written, " + report.indexFilesRemoved()
          + " removed; done in " + HumanUnits.duration(report.duration()));
    }
    return ExitCode.OK.code;
  }

  /** {@code --max-unused} as a percentage: {@code 5%}, {@code 5} or {@code unlimited}. */
  double percent() {
    String s = maxUnused.strip().toLowerCase(Locale.ROOT);
    if (s.equals("unlimited")) {
      return 100;
    }
    try {
      double p = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
      if (p >= 0 && p <= 100) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(spec.commandLine(), "--max-unused must be a percentage from 0% to 100%"
        + " or 'unlimited', not '" + maxUnused + "'");
  }
}
