package io.holdfast.cli;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.DatasetReport;
import io.holdfast.Failure;
import io.holdfast.PhaseChange;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.posix.LiveSnapshotProvider;
import io.holdfast.posix.PreCopySnapshotProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast backup}: one snapshot of one or more directories, each a dataset, all frozen
 * inside one hold of the optional command gate.
 */
@Command(name = "backup",
    description = {"Back up directories as datasets of one snapshot.",
        "Each PATH becomes a dataset named after its directory; NAME=PATH names it."})
final class BackupCommand implements Callable<Integer> {
  /** What may precede '=' in NAME=PATH; anything else means the '=' is part of a path. */
  private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)");

  /** How the datasets are frozen. */
  enum SnapshotMode {
    /** Read the live directories inside the hold. */
    LIVE,
    /** Read them in full while the application runs, then only the changes inside the hold. */
    PRECOPY
  }

  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH|NAME=PATH", arity = "1..*", description = "Directories to back up.")
  List<String> sources;

  @Option(names = "--plan", paramLabel = "NAME", defaultValue = "default",
      description = "Backup plan name: tagged plan:NAME; the parent is this plan's latest snapshot (default: ${DEFAULT-VALUE}).")
  String plan;

  @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag to the snapshot (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB",
      description = "Leave out paths matching GLOB, relative to each dataset, e.g. 'cache/**' (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--snapshot", paramLabel = "live|precopy", defaultValue = "live",
      description = "live: read inside the hold; precopy: read first, then only changes inside the hold"
          + " (default: ${DEFAULT-VALUE}).")
  SnapshotMode snapshot;

  @Mixin GateOptions gate;

  @Option(names = "--max-hold", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Longest the application may be held (e.g. 30s, 5m, PT1M; default 5m); past it the backup fails.")
  Duration maxHold;

  @Option(names = "--app-version", paramLabel = "V", description = "Application version to record with the snapshot.")
  String appVersion;

  BackupCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** One dataset in {@code --json} output. */
  record DatasetSummary(String name, String provider, String consistency, long filesNew, long filesChanged,
      long filesUnmodified, long bytesRead, long bytesAdded, long unreadable, String frozenAt,
      Map<String, String> externalReferences) {
    static DatasetSummary of(DatasetReport d) {
      return new DatasetSummary(d.name(), d.provider(), d.consistency().name().toLowerCase(Locale.ROOT),
          d.filesNew(), d.filesChanged(), d.filesUnmodified(), d.bytesRead(), d.bytesAdded(), d.unreadable(),
          d.frozenAt() == null ? null : d.frozenAt().toString(), d.externalReferences());
    }
  }

  /** Why a run failed, in {@code --json} output. */
  record FailureSummary(String phase, String subject, String message) {
    static FailureSummary of(Failure f) {
      return new FailureSummary(f.phase().name().toLowerCase(Locale.ROOT), f.subject(), f.message());
    }
  }

  /** The one object {@code backup --json} prints. */
  record Summary(String messageType, String plan, String snapshotId, long gateHoldMs, long filesNew,
      long filesChanged, long filesUnmodified, long bytesRead, long bytesAdded, long durationMs,
      List<DatasetSummary> datasets, List<String> warnings, List<String> errors, FailureSummary failure) {
    static Summary of(BackupReport r) {
      List<DatasetReport> ds = r.datasets();
      return new Summary("summary", r.plan(), r.snapshotId().orElse(null), r.gateHold().toMillis(),
          ds.stream().mapToLong(DatasetReport::filesNew).sum(),
          ds.stream().mapToLong(DatasetReport::filesChanged).sum(),
          ds.stream().mapToLong(DatasetReport::filesUnmodified).sum(),
          ds.stream().mapToLong(DatasetReport::bytesRead).sum(),
          ds.stream().mapToLong(DatasetReport::bytesAdded).sum(),
          duration(r.phases()).toMillis(),
          ds.stream().map(DatasetSummary::of).toList(), r.warnings(), r.errors(),
          r.failure().map(FailureSummary::of).orElse(null));
    }
  }

  /** From the first phase change to the last. */
  static Duration duration(List<PhaseChange> phases) {
    return phases.isEmpty() ? Duration.ZERO
        : Duration.between(phases.get(0).at(), phases.get(phases.size() - 1).at());
  }

  @Override
  public Integer call() {
    List<DirectoryDataset> datasets = sources.stream().map(this::dataset).toList();
    BackupPlan.Builder b = BackupPlan.builder(plan).datasets(datasets).repository(root.repository());
    tags.forEach(b::tag);
    gate.gate().ifPresent(b::gate);
    if (maxHold != null) {
      b.maxHold(maxHold);
    }
    b.appVersion(appVersion);
    BackupPlan p = b.build();

    BackupEngine.Builder engine = BackupEngine.builder();
    if (root.showProgress()) {
      engine.listener(new ProgressBar(root.err));
    }
    BackupReport report;
    try (BackupEngine e = engine.build()) {
      report = e.backup(p);
    }
    print(report, p);
    report.orThrow();
    ExitCode code = ExitCode.of(report);
    if (code == ExitCode.PARTIAL) {
      long n = report.datasets().stream().mapToLong(DatasetReport::unreadable).sum();
      root.err.println("holdfast: snapshot " + shortId(report) + " saved, but " + n
          + (n == 1 ? " entry" : " entries") + " could not be read and " + (n == 1 ? "is" : "are") + " not in it");
    }
    return code.code;
  }

  private DirectoryDataset dataset(String source) {
    Matcher named = NAMED.matcher(source);
    boolean hasName = named.matches();
    Path path = Path.of(hasName ? named.group(2) : source).toAbsolutePath().normalize();
    if (!hasName && path.getFileName() == null) {
      throw new ParameterException(spec.commandLine(), "'" + source + "' has no directory name to name its"
          + " dataset after: write NAME=" + source);
    }
    DirectoryDataset.Builder d = DirectoryDataset.builder(hasName ? named.group(1) : path.getFileName().toString(), path)
        .provider(snapshot == SnapshotMode.PRECOPY ? PreCopySnapshotProvider::new : LiveSnapshotProvider::new);
    excludes.forEach(d::exclude);
    return d.build();
  }

  private static String shortId(BackupReport r) {
    return r.snapshotId().map(id -> id.substring(0, 8)).orElse("(none)");
  }

  private void print(BackupReport r, BackupPlan p) {
    r.errors().forEach(e -> root.err.println("holdfast: ERROR: " + e));
    if (root.json) {
      root.printJson(Summary.of(r));
      return;
    }
    r.warnings().forEach(root::warn);
    if (!r.succeeded()) {
      return;
    }
    Summary s = Summary.of(r);
    for (DatasetReport d : r.datasets()) {
      root.say(String.format(Locale.ROOT, "dataset %s (%s, consistency %s): %d new, %d changed, %d unmodified files,"
          + " %s read, %s added", d.name(), d.provider(), d.consistency().name().toLowerCase(Locale.ROOT),
          d.filesNew(), d.filesChanged(), d.filesUnmodified(), HumanUnits.bytes(d.bytesRead()),
          HumanUnits.bytes(d.bytesAdded())));
    }
    root.say(String.format(Locale.ROOT, "Files:       %5d new, %5d changed, %5d unmodified", s.filesNew(),
        s.filesChanged(), s.filesUnmodified()));
    root.say("Added to the repository: " + HumanUnits.bytes(s.bytesAdded()));
    if (!p.gates().isEmpty()) {
      root.say("Application held for " + s.gateHoldMs() + " ms");
    }
    root.say("processed " + (s.filesNew() + s.filesChanged() + s.filesUnmodified()) + " files, read "
        + HumanUnits.bytes(s.bytesRead()) + " in " + HumanUnits.duration(Duration.ofMillis(s.durationMs())));
    root.say("snapshot " + shortId(r) + " saved");
  }
}
