package io.holdfast.cli;

import io.holdfast.BackupEngine;
import io.holdfast.ForgetPlan;
import io.holdfast.ForgetReport;
import io.holdfast.HoldfastException;
import io.holdfast.RetentionDecision;
import io.holdfast.RetentionPolicy;
import io.holdfast.RetentionPolicy.GroupBy;
import io.holdfast.SnapshotInfo;
import io.holdfast.ebs.EbsSnapshotReleaser;
import io.holdfast.internal.json.GoTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code holdfast forget}: removes the snapshots a retention policy does not keep, as restic's
 * {@code forget} with a policy, under the exclusive lock. Snapshot files only: the data they
 * alone referenced stays until a prune.
 */
@Command(name = "forget",
    description = {"Remove snapshots according to a policy (snapshot files only; data stays until prune).",
        "Snapshots are grouped (by plan and host unless --group-by says otherwise) and each",
        "group is judged alone; a snapshot stays if any --keep rule keeps it. Calendar rules",
        "count only hours/days/weeks/months/years that have snapshots."})
final class ForgetCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
  int keepLast;

  @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the N last hours that have one.")
  int keepHourly;

  @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest snapshot of each of the N last days that have one.")
  int keepDaily;

  @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest snapshot of each of the N last weeks (Monday-Sunday) that have one.")
  int keepWeekly;

  @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest snapshot of each of the N last months that have one.")
  int keepMonthly;

  @Option(names = "--keep-yearly", paramLabel = "N", description = "Keep the newest snapshot of each of the N last years that have one.")
  int keepYearly;

  @Option(names = "--keep-within", paramLabel = "SPAN", converter = WithinConverter.class,
      description = "Keep snapshots newer than SPAN (years, months, days, hours: 2y5m7d3h) before the newest one.")
  RetentionPolicy.Within keepWithin;

  @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep snapshots with this tag, or with all tags of a list a,b (repeatable: any of them).")
  List<String> keepTags = new ArrayList<>();

  @Option(names = "--plan", paramLabel = "NAME", description = "Only judge the snapshots of this plan.")
  String plan;

  @Option(names = "--group-by", paramLabel = "KEYS", converter = GroupByConverter.class,
      description = "Group by these of plan,host,paths,tags (default: plan,host; '' for one group).")
  Set<GroupBy> groupBy;

  @Option(names = {"-n", "--dry-run"}, description = "Only say what would be removed, and why.")
  boolean dryRun;

  @Option(names = "--prune", description = "Then prune: remove the data no remaining snapshot needs (as restic's forget --prune).")
  boolean prune;

  @Option(names = "--release-ebs", description = {"Delete the EBS snapshots that only the removed snapshots referenced",
      "(never one a kept snapshot still references)."})
  boolean releaseEbs;

  @picocli.CommandLine.Mixin Ec2Options ec2;

  ForgetCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** Reads restic's keep-within spans. */
  static final class WithinConverter implements ITypeConverter<RetentionPolicy.Within> {
    @Override
    public RetentionPolicy.Within convert(String value) {
      try {
        return RetentionPolicy.Within.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads {@code plan,host,paths,tags} (any of them, comma-separated; empty for none). */
  static final class GroupByConverter implements ITypeConverter<Set<GroupBy>> {
    @Override
    public Set<GroupBy> convert(String value) {
      Set<GroupBy> out = EnumSet.noneOf(GroupBy.class);
      for (String part : value.split(",")) {
        String p = part.strip();
        if (p.isEmpty()) {
          continue;
        }
        try {
          out.add(GroupBy.valueOf(p.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new TypeConversionException("'" + p + "' is not a grouping: use plan, host, paths or tags");
        }
      }
      return out;
    }
  }

  /** A snapshot in {@code --json} output. */
  record Judged(String id, String shortId, String time, String hostname, List<String> paths, List<String> tags,
      List<String> reasons) {
    static Judged of(RetentionDecision d) {
      SnapshotInfo s = d.snapshot();
      return new Judged(s.id(), s.shortId(), GoTime.format(s.time()), s.hostname(), s.paths(),
          s.tags().stream().sorted().toList(), d.reasons());
    }
  }

  /** One group in {@code --json} output. */
  record Group(String group, List<Judged> keep, List<Judged> remove) {}

  /** What {@code forget --json} prints. */
  record Summary(boolean dryRun, String policy, List<Group> groups, List<String> removed,
      List<ForgetReport.Release> releases) {}

  RetentionPolicy policy() {
    RetentionPolicy.Builder b = RetentionPolicy.builder().keepLast(keepLast).keepHourly(keepHourly)
        .keepDaily(keepDaily).keepWeekly(keepWeekly).keepMonthly(keepMonthly).keepYearly(keepYearly);
    if (keepWithin != null) {
      b.keepWithin(keepWithin);
    }
    keepTags.forEach(b::keepTag);
    if (groupBy != null) {
      b.groupBy(groupBy);
    }
    return b.build();
  }

  @Override
  public Integer call() {
    RetentionPolicy policy;
    try {
      policy = policy();
    } catch (IllegalArgumentException e) {
      throw new HoldfastException(e.getMessage(), e);
    }
    if (policy.isEmpty()) {
      throw new HoldfastException("no policy given: refusing to forget without a keep rule (--keep-last,"
          + " --keep-hourly .. --keep-yearly, --keep-within or --keep-tag)");
    }
    ForgetReport report;
    try (BackupEngine engine = BackupEngine.builder().build();
        Ec2Client client = releaseEbs ? ec2.client() : null) {
      ForgetPlan.Builder fp = ForgetPlan.builder(root.repository()).policy(policy).plan(plan).dryRun(dryRun);
      if (client != null) {
        fp.releaser(new EbsSnapshotReleaser(client));
      }
      report = engine.forget(fp.build()).orThrow();
    }
    Map<String, List<RetentionDecision>> byGroup = new LinkedHashMap<>();
    for (RetentionDecision d : concat(report.kept(), report.removed())) {
      byGroup.computeIfAbsent(d.group(), k -> new ArrayList<>()).add(d);
    }
    if (root.json) {
      List<Group> groups = byGroup.entrySet().stream().map(e -> new Group(e.getKey(),
          e.getValue().stream().filter(RetentionDecision::keep).map(Judged::of).toList(),
          e.getValue().stream().filter(d -> !d.keep()).map(Judged::of).toList())).toList();
      root.printJson(new Summary(dryRun, policy.toString(), groups, report.deleted(), report.releases()));
    } else {
      printHuman(policy, report, byGroup);
    }
    long failed = report.releases().stream().filter(r -> r.outcome() == ForgetReport.Outcome.FAILED).count();
    if (failed > 0) {
      throw new HoldfastException(failed + " external reference(s) could not be released and are left in place");
    }
    if (prune && !dryRun) {
      PruneCommand pruning = new PruneCommand(root);
      pruning.maxUnused = "5%";
      return pruning.call();
    }
    return ExitCode.OK.code;
  }

  private static List<RetentionDecision> concat(List<RetentionDecision> a, List<RetentionDecision> b) {
    List<RetentionDecision> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private void printHuman(RetentionPolicy policy, ForgetReport report, Map<String, List<RetentionDecision>> byGroup) {
    root.say("Applying policy: " + policy);
    byGroup.forEach((group, ds) -> {
      root.say("");
      root.say(group.isEmpty() ? "all snapshots:" : "snapshots for " + group + ":");
      List<RetentionDecision> keep = ds.stream().filter(RetentionDecision::keep).toList();
      List<RetentionDecision> remove = ds.stream().filter(d -> !d.keep()).toList();
      section("keep", keep, true);
      section(dryRun ? "would remove" : "remove", remove, false);
    });
    root.say("");
    if (dryRun) {
      root.say("would remove " + report.removed().size() + " snapshots (dry run: nothing was changed)");
    } else {
      report.deleted().forEach(id -> root.say("removed snapshot " + id.substring(0, 8)));
      root.say(report.deleted().size() + " snapshots removed; their data stays in the repository until a prune");
    }
    for (ForgetReport.Release r : report.releases()) {
      switch (r.outcome()) {
        case RELEASED -> root.say("released " + r.key() + " " + r.value());
        case WOULD_RELEASE -> root.say("would release " + r.key() + " " + r.value());
        case FAILED -> root.warn("cannot release " + r.key() + " " + r.value() + ": " + r.error());
      }
    }
  }

  private void section(String verb, List<RetentionDecision> ds, boolean reasons) {
    if (ds.isEmpty()) {
      return;
    }
    root.say(verb + " " + ds.size() + (ds.size() == 1 ? " snapshot:" : " snapshots:"));
    List<String[][]> rows = new ArrayList<>();
    for (RetentionDecision d : ds) {
      SnapshotInfo s = d.snapshot();
      List<String[]> cells = new ArrayList<>();
      cells.add(new String[] {s.shortId()});
      cells.add(new String[] {s.time().withZoneSameInstant(ZoneId.systemDefault()).format(SnapshotsCommand.TIME)});
      cells.add(new String[] {s.hostname()});
      cells.add(new String[] {String.join(",", s.tags().stream().sorted().toList())});
      if (reasons) {
        cells.add(d.reasons().toArray(String[]::new));
      }
      cells.add(s.paths().stream().sorted().toArray(String[]::new));
      rows.add(cells.toArray(String[][]::new));
    }
    String[] headers = reasons ? new String[] {"ID", "Time", "Host", "Tags", "Reasons", "Paths"}
        : new String[] {"ID", "Time", "Host", "Tags", "Paths"};
    SnapshotsCommand.table(headers, rows).forEach(root::say);
  }
}
