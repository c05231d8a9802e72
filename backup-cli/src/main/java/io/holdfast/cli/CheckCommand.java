package io.holdfast.cli;

import io.holdfast.BackupEngine;
import io.holdfast.HoldfastException;
import io.holdfast.VerifyPlan;
import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.VerifyReport;
import io.holdfast.VerifyReport.AffectedPath;
import io.holdfast.VerifyReport.AffectedSnapshot;
import io.holdfast.VerifyReport.DamagedPack;
import io.holdfast.VerifyReport.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast check}: the repository's structure (packs against the index, snapshots and
 * their trees against the index) and, with {@code --read-data} or {@code --read-data-subset}, its
 * data (packs re-read and re-hashed), under a shared lock. Damage is traced to the snapshots and
 * paths that depend on it.
 */
@Command(name = "check",
    description = {"Check the repository's structure, and with --read-data its data.",
        "Every pack the index names must exist and agree with its header; every tree",
        "and data blob a snapshot needs must be in the index. --read-data re-reads every",
        "pack: its hash, and every blob in it decrypted and hashed. A damaged or missing",
        "pack is reported with the snapshots and paths that depend on it. Exits 1 on any error."})
final class CheckCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Option(names = "--read-data", description = "Re-read all packs and check every blob in them.")
  boolean readData;

  @Option(names = "--read-data-subset", paramLabel = "n/m|P%",
      description = "Re-read a subset of the packs: group n of m (by pack id, as restic: checking 1/m .. m/m"
          + " reads every pack once), or a random P percent of them.")
  String subset;

  CheckCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** An error in {@code --json} output; {@code check} is {@code structure} or {@code data}. */
  record CheckError(String kind, String check, String subject, String message) {
    static List<CheckError> of(List<Problem> problems, String check) {
      return problems.stream()
          .map(p -> new CheckError(p.kind().name().toLowerCase(Locale.ROOT), check, p.subject(), p.message())).toList();
    }
  }

  record PathSummary(String path, boolean subtreeUnknown, List<String> packs) {}

  record SnapshotSummary(String id, String time, String plan, String hostname, List<PathSummary> paths,
      int omittedPaths) {
    static SnapshotSummary of(AffectedSnapshot s) {
      return new SnapshotSummary(s.id(), s.time().toString(), s.plan().orElse(null), s.hostname(),
          s.paths().stream().map(p -> new PathSummary(p.path(), p.subtreeUnknown(), p.packs())).toList(),
          s.omittedPaths());
    }
  }

  record DamageSummary(List<DamagedPack> packs, List<String> unindexedBlobs, List<SnapshotSummary> snapshots) {}

  /** The object {@code check --json} prints. */
  record Summary(boolean ok, String readData, int snapshots, int trees, long dataBlobs, int packs, int packsRead,
      long bytesRead, long durationMs, List<String> unindexedPacks, List<CheckError> errors, DamageSummary damage,
      BackupCommand.FailureSummary failure) {
    static Summary of(VerifyReport r) {
      List<CheckError> errors = new ArrayList<>(CheckError.of(r.structureProblems(), "structure"));
      errors.addAll(CheckError.of(r.dataProblems(), "data"));
      VerifyReport.Damage d = r.damage();
      return new Summary(r.ok(), r.readData(), r.snapshots(), r.trees(), r.dataBlobs(), r.packs(), r.packsRead(),
          r.bytesRead(), r.duration().toMillis(), r.unindexedPacks(), errors,
          new DamageSummary(d.packs(), d.unindexedBlobs(), d.snapshots().stream().map(SnapshotSummary::of).toList()),
          r.failure().map(BackupCommand.FailureSummary::of).orElse(null));
    }
  }

  @Override
  public Integer call() {
    DataCheck data = dataCheck(); // usage errors first, before the repository is looked for or a password asked
    VerifyPlan plan = VerifyPlan.builder(root.repository()).readData(data).build();
    root.say("checking snapshots, trees and packs" + switch (plan.readData().toString()) {
      case "none" -> "";
      case "all" -> ", reading all data";
      default -> ", reading data subset " + plan.readData();
    });
    VerifyReport report;
    try (BackupEngine engine = BackupEngine.builder().build()) {
      report = engine.verify(plan);
    }
    if (root.json) {
      root.printJson(Summary.of(report));
    }
    if (report.failure().isPresent()) {
      report.orThrow();
    }
    if (!root.json) {
      printHuman(report);
    }
    if (!report.ok()) {
      int n = report.problems().size();
      throw new HoldfastException("the repository contains " + n + (n == 1 ? " error" : " errors"));
    }
    root.say("no errors were found");
    return ExitCode.OK.code;
  }

  private DataCheck dataCheck() {
    if (readData && subset != null) {
      throw new ParameterException(spec.commandLine(), "--read-data and --read-data-subset exclude each other");
    }
    if (subset != null) {
      try {
        return DataCheck.parse(subset);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--read-data-subset: " + e.getMessage());
      }
    }
    return readData ? DataCheck.all() : DataCheck.none();
  }

  private void printHuman(VerifyReport r) {
    for (String pack : r.unindexedPacks()) {
      root.say("pack " + pack + ": not referenced in any index");
    }
    if (!r.unindexedPacks().isEmpty()) {
      root.say(r.unindexedPacks().size() + " additional packs were found in the repository;"
          + " this is not an error (an interrupted backup leaves them)");
    }
    r.problems().forEach(p -> root.err.println("error: " + p.message()));
    root.say("checked " + r.snapshots() + " snapshots, " + r.trees() + " trees, " + r.dataBlobs() + " data blobs, "
        + r.packs() + " packs" + (r.packsRead() == 0 ? ""
            : "; read " + r.packsRead() + " packs (" + HumanUnits.bytes(r.bytesRead()) + ")"));
    printDamage(r.damage());
  }

  /** The damage report goes to stderr with the errors: it is what an operator must act on. */
  private void printDamage(VerifyReport.Damage d) {
    if (d.isEmpty()) {
      return;
    }
    var err = root.err;
    err.println("damage report:");
    for (DamagedPack p : d.packs()) {
      err.println("  pack " + p.id().substring(0, 8) + ": " + (p.lostBlobs().isEmpty() && p.copiedBlobs().isEmpty()
          ? "damaged, but all of its " + p.blobs() + " blobs still read correctly"
          : p.lostBlobs().size() + " of its " + p.blobs() + " blobs are lost")
          + (p.copiedBlobs().isEmpty() ? "" : "; " + p.copiedBlobs().size() + " more do not read back from it,"
              + " but another pack holds a sound copy"));
    }
    for (String blob : d.unindexedBlobs()) {
      err.println("  blob " + blob.substring(0, 8) + ": needed by a snapshot but in no index");
    }
    if (d.snapshots().isEmpty()) {
      err.println("  no snapshot depends on a lost blob");
    }
    for (AffectedSnapshot s : d.snapshots()) {
      int n = s.paths().size() + s.omittedPaths();
      err.println("  snapshot " + s.id().substring(0, 8) + " of " + s.time()
          + s.plan().map(p -> ", plan " + p).orElse("") + (s.hostname().isEmpty() ? "" : ", host " + s.hostname())
          + ": " + n + (n == 1 ? " path" : " paths") + " affected");
      for (AffectedPath p : s.paths()) {
        err.println("    " + p.path() + (p.subtreeUnknown() ? " (its listing is lost: everything below it is unknown)" : "")
            + " [" + String.join(", ", p.packs().stream().map(x -> x.equals("unindexed") ? "in no index" : "pack " + x)
                .toList()) + "]");
      }
      if (s.omittedPaths() > 0) {
        err.println("    ... and " + s.omittedPaths() + " more");
      }
    }
  }
}
