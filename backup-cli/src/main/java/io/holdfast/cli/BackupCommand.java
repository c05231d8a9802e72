package io.holdfast.cli;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.DatasetReport;
import io.holdfast.Failure;
import io.holdfast.PhaseChange;
import io.holdfast.ebs.EbsDataset;
import io.holdfast.ebs.EbsSnapshotProvider;
import io.holdfast.posix.BtrfsSnapshotProvider;
import io.holdfast.posix.CommandRunner;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.posix.FsfreezeGate;
import io.holdfast.posix.LiveSnapshotProvider;
import io.holdfast.posix.LvmSnapshotProvider;
import io.holdfast.posix.PreCopySnapshotProvider;
import io.holdfast.posix.ReflinkSnapshotProvider;
import io.holdfast.posix.SystemdGate;
import io.holdfast.posix.ZfsSnapshotProvider;
import io.holdfast.spi.ConsistencyGate;
import io.holdfast.spi.Dataset;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code holdfast backup}: one snapshot of one or more directories, each a dataset, all frozen
 * inside one hold of the optional command gate.
 */
@Command(name = "backup",
    description = {"Back up directories as datasets of one snapshot.",
        "Each PATH becomes a dataset named after its directory; NAME=PATH names it."},
    footer = {"",
        "Snapshot modes (--snapshot):",
        "  live     read the directories inside the hold (default).",
        "  precopy  read them while the application runs, then the changes in the hold.",
        "  btrfs    each PATH is a btrfs subvolume: read a read-only snapshot of it,",
        "           made in --snapshot-dir (default: its parent), deleted after.",
        "  reflink  cp --reflink=always each PATH into --staging DIR (same filesystem),",
        "           read the copy, remove it after.",
        "  lvm      one PATH, relative to the volume's root ('.' for all of it):",
        "           lvcreate --snapshot of --lvm-volume VG/LV (--lvm-size, default 1G),",
        "           mounted read-only on --lvm-mount DIR (--xfs: with nouuid),",
        "           unmounted and removed after.",
        "  zfs      one PATH, where --zfs-dataset POOL/DS is mounted (--zfs-mountpoint,",
        "           default the PATH): zfs snapshot, read under .zfs/snapshot, destroyed.",
        "",
        "Gates (--gate, repeatable; held in the order given, after --gate-start):",
        "  fsfreeze:MOUNT  fsfreeze -f MOUNT, thawed after (or by a watchdog if",
        "                  holdfast dies).",
        "  systemd:UNIT    systemctl stop UNIT, started again after.",
        "",
        "EBS volumes (--ebs-volume vol-... or --ebs-instance i-... [--ebs-device DEV]):",
        "  one dataset (--ebs-dataset, default ebs) whose EBS snapshots are taken in",
        "  the same hold as the directories and recorded in the snapshot; the backup",
        "  waits until EC2 has completed them (--ebs-max-wait). Restore the volumes",
        "  with holdfast restore-volumes.",
        "",
        "Examples:",
        "  holdfast backup --snapshot btrfs --gate systemd:postgresql.service /srv/pg",
        "  holdfast backup --snapshot lvm --lvm-volume vg0/data --lvm-mount /mnt/snap \\",
        "      db=postgres"})
final class BackupCommand implements Callable<Integer> {
  /** What may precede '=' in NAME=PATH; anything else means the '=' is part of a path. */
  private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)");

  /** How the datasets are frozen. */
  enum SnapshotMode {
    /** Read the live directories inside the hold. */
    LIVE,
    /** Read them in full while the application runs, then only the changes inside the hold. */
    PRECOPY,
    /** A read-only btrfs snapshot of each subvolume. */
    BTRFS,
    /** A reflink copy of each directory in a staging directory. */
    REFLINK,
    /** An LVM snapshot of one logical volume, mounted read-only. */
    LVM,
    /** A ZFS snapshot of one dataset. */
    ZFS
  }

  /** How much longer than the plan's maximum hold a gate's watchdog waits before it undoes the hold. */
  static final Duration WATCHDOG_MARGIN = Duration.ofMinutes(1);

  /** The gate kinds {@code --gate} knows, as KIND:ARG. */
  static final List<String> GATE_KINDS = List.of("fsfreeze", "systemd");

  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH|NAME=PATH", arity = "0..*",
      description = "Directories to back up (none needed with EBS volumes).")
  List<String> sources = new ArrayList<>();

  @Option(names = "--ebs-volume", paramLabel = "VOLUME-ID", description = "Snapshot this EBS volume (repeatable).")
  List<String> ebsVolumes = new ArrayList<>();

  @Option(names = "--ebs-instance", paramLabel = "INSTANCE-ID",
      description = "Snapshot the EBS volumes of this instance: all, or those at --ebs-device.")
  String ebsInstance;

  @Option(names = "--ebs-device", paramLabel = "DEVICE",
      description = "With --ebs-instance: only the volume at DEVICE, e.g. /dev/sdf (repeatable).")
  List<String> ebsDevices = new ArrayList<>();

  @Option(names = "--ebs-dataset", paramLabel = "NAME", defaultValue = "ebs",
      description = "Name of the EBS dataset (default: ${DEFAULT-VALUE}).")
  String ebsDataset;

  @Option(names = "--ebs-max-wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to wait for EC2 to complete the EBS snapshots (default 2h).")
  Duration ebsMaxWait;

  @Mixin Ec2Options ec2;

  @Option(names = "--plan", paramLabel = "NAME", defaultValue = "default",
      description = "Backup plan name: tagged plan:NAME; the parent is this plan's latest snapshot (default: ${DEFAULT-VALUE}).")
  String plan;

  @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag to the snapshot (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB",
      description = "Leave out paths matching GLOB, relative to each dataset, e.g. 'cache/**' (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--snapshot", paramLabel = "live|precopy|btrfs|reflink|lvm|zfs", defaultValue = "live",
      description = "How the datasets are frozen (default: ${DEFAULT-VALUE}); see Snapshot modes below.")
  SnapshotMode snapshot;

  @Option(names = "--snapshot-dir", paramLabel = "DIR",
      description = "btrfs: where the snapshots are made, on the subvolume's filesystem (default: its parent).")
  Path snapshotDir;

  @Option(names = "--staging", paramLabel = "DIR",
      description = "reflink: existing directory on the same filesystem to copy into (required).")
  Path staging;

  @Option(names = "--lvm-volume", paramLabel = "VG/LV", description = "lvm: the logical volume (required).")
  String lvmVolume;

  @Option(names = "--lvm-size", paramLabel = "SIZE",
      description = "lvm: copy-on-write space of the snapshot, e.g. 1G, 10%%ORIGIN (default: 1G).")
  String lvmSize;

  @Option(names = "--lvm-mount", paramLabel = "DIR",
      description = "lvm: existing empty directory to mount the snapshot on (required).")
  Path lvmMount;

  @Option(names = "--xfs", description = "lvm: the volume holds XFS (mount the snapshot with nouuid).")
  boolean xfs;

  @Option(names = "--zfs-dataset", paramLabel = "POOL/DS", description = "zfs: the ZFS dataset (required).")
  String zfsDataset;

  @Option(names = "--zfs-mountpoint", paramLabel = "DIR",
      description = "zfs: where the ZFS dataset is mounted (default: the PATH).")
  Path zfsMountpoint;

  @Mixin GateOptions gate;

  @Option(names = "--gate", paramLabel = "KIND:ARG",
      description = "Also hold with fsfreeze:MOUNT or systemd:UNIT (repeatable; in the order given).")
  List<String> gateSpecs = new ArrayList<>();

  /** Runs the tools of the providers and gates; tests replace it. */
  CommandRunner runner = CommandRunner.system();

  /** Why a PATH is not a btrfs subvolume, or null if it is; tests replace it. */
  Function<Path, String> notASubvolume = BackupCommand::notASubvolume;

  /** A btrfs subvolume's root directory is inode 256 of a btrfs filesystem. */
  static String notASubvolume(Path dir) {
    try {
      String type = Files.getFileStore(dir).type();
      if (!type.equals("btrfs")) {
        return "it is on " + type + ", not btrfs";
      }
      Object ino = Files.getAttribute(dir, "unix:ino");
      return ino instanceof Number n && n.longValue() == 256 ? null : "it is a directory, not a subvolume";
    } catch (NoSuchFileException e) {
      return "there is no such directory";
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "cannot tell: " + e.getMessage();
    }
  }

  @Option(names = "--max-hold", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Longest the application may be held (e.g. 30s, 5m, PT1M; default 5m); past it the backup fails.")
  Duration maxHold;

  /** The plan's maximum hold: {@code --max-hold}, or {@link BackupPlan#DEFAULT_MAX_HOLD}. */
  Duration maxHold() {
    return maxHold == null ? BackupPlan.DEFAULT_MAX_HOLD : maxHold;
  }

  /**
   * When the fsfreeze and systemd gates' watchdogs undo the hold themselves: a margin after the
   * plan's own limit releases it, and never sooner than those gates' default.
   */
  Duration watchdogDeadline() {
    Duration d = maxHold().plus(WATCHDOG_MARGIN);
    return d.compareTo(FsfreezeGate.DEFAULT_MAX_HOLD) < 0 ? FsfreezeGate.DEFAULT_MAX_HOLD : d;
  }

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
    boolean ebs = ebsInstance != null || !ebsVolumes.isEmpty();
    if (!ebsDevices.isEmpty() && ebsInstance == null) {
      throw usage("--ebs-device needs --ebs-instance");
    }
    if (ebsInstance != null && !ebsVolumes.isEmpty()) {
      throw usage("give the EBS volumes by --ebs-volume or by --ebs-instance, not both");
    }
    if (sources.isEmpty() && !ebs) {
      throw usage("nothing to back up: give a PATH, --ebs-volume or --ebs-instance");
    }
    List<Dataset> datasets = new ArrayList<>(datasets());
    List<ConsistencyGate> gates = gates();
    if (!ebs) {
      return backup(datasets, gates);
    }
    try (Ec2Client client = ec2.client()) {
      datasets.add(ebsDataset(client));
      return backup(datasets, gates);
    }
  }

  /** The EBS dataset the --ebs options describe. */
  private EbsDataset ebsDataset(Ec2Client client) {
    try {
      EbsSnapshotProvider.Builder p = EbsSnapshotProvider.builder(client);
      ebsVolumes.forEach(p::volume);
      if (ebsInstance != null) {
        p.instance(ebsInstance, ebsDevices.toArray(String[]::new));
      }
      if (ebsMaxWait != null) {
        p.maxWait(ebsMaxWait);
      }
      return new EbsDataset(ebsDataset, p.build());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private int backup(List<Dataset> datasets, List<ConsistencyGate> gates) {
    BackupPlan.Builder b = BackupPlan.builder(plan).datasets(datasets).repository(root.repository());
    tags.forEach(b::tag);
    gates.forEach(b::gate);
    b.maxHold(maxHold());
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

  /** The datasets the arguments describe; a ParameterException for missing or contradictory options. */
  List<DirectoryDataset> datasets() {
    checkModeOptions();
    if ((snapshot == SnapshotMode.LVM || snapshot == SnapshotMode.ZFS) && sources.size() != 1) {
      throw usage("--snapshot " + mode() + " snapshots one volume: give one PATH, not " + sources.size());
    }
    return sources.stream().map(this::dataset).toList();
  }

  /** The gates, in the order they are acquired: --gate-start/--gate-end first, then each --gate. */
  List<ConsistencyGate> gates() {
    List<ConsistencyGate> gates = new ArrayList<>();
    gate.gate().ifPresent(gates::add);
    for (String g : gateSpecs) {
      gates.add(gate(g));
    }
    return gates;
  }

  private ConsistencyGate gate(String spec) {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    String arg = colon < 0 ? "" : spec.substring(colon + 1);
    if (!GATE_KINDS.contains(kind)) {
      throw usage("--gate '" + spec + "': unknown kind '" + kind + "'; the kinds are "
          + String.join(", ", GATE_KINDS.stream().map(k -> k + (k.equals("fsfreeze") ? ":MOUNT" : ":UNIT")).toList()));
    }
    if (arg.isBlank()) {
      throw usage("--gate '" + spec + "': give " + (kind.equals("fsfreeze") ? "a mount point: fsfreeze:MOUNT"
          : "a unit: systemd:UNIT"));
    }
    try {
      Duration watchdog = watchdogDeadline();
      if (kind.equals("fsfreeze")) {
        return new FsfreezeGate(Path.of(arg).toAbsolutePath().normalize(), watchdog, runner);
      }
      return new SystemdGate(arg, watchdog, runner);
    } catch (IllegalArgumentException e) {
      throw usage("--gate '" + spec + "': " + e.getMessage());
    }
  }

  private String mode() {
    return snapshot.name().toLowerCase(Locale.ROOT);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Each mode's own options: required ones must be given, other modes' ones must not. */
  private void checkModeOptions() {
    Map<String, SnapshotMode> owner = new LinkedHashMap<>();
    Map<String, Boolean> given = new LinkedHashMap<>();
    put(owner, given, "--snapshot-dir", SnapshotMode.BTRFS, snapshotDir != null);
    put(owner, given, "--staging", SnapshotMode.REFLINK, staging != null);
    put(owner, given, "--lvm-volume", SnapshotMode.LVM, lvmVolume != null);
    put(owner, given, "--lvm-size", SnapshotMode.LVM, lvmSize != null);
    put(owner, given, "--lvm-mount", SnapshotMode.LVM, lvmMount != null);
    put(owner, given, "--xfs", SnapshotMode.LVM, xfs);
    put(owner, given, "--zfs-dataset", SnapshotMode.ZFS, zfsDataset != null);
    put(owner, given, "--zfs-mountpoint", SnapshotMode.ZFS, zfsMountpoint != null);
    List<String> foreign = owner.keySet().stream().filter(o -> given.get(o) && owner.get(o) != snapshot).toList();
    if (!foreign.isEmpty()) {
      throw usage(String.join(", ", foreign) + (foreign.size() == 1 ? " applies" : " apply") + " only to --snapshot "
          + owner.get(foreign.get(0)).name().toLowerCase(Locale.ROOT) + ", not to --snapshot " + mode());
    }
    List<String> missing = switch (snapshot) {
      case REFLINK -> staging == null ? List.of("--staging DIR") : List.of();
      case LVM -> {
        List<String> m = new ArrayList<>();
        if (lvmVolume == null) {
          m.add("--lvm-volume VG/LV");
        }
        if (lvmMount == null) {
          m.add("--lvm-mount DIR");
        }
        yield m;
      }
      case ZFS -> zfsDataset == null ? List.of("--zfs-dataset POOL/DS") : List.of();
      default -> List.of();
    };
    if (!missing.isEmpty()) {
      throw usage("--snapshot " + mode() + " needs " + String.join(" and ", missing));
    }
    if (snapshot == SnapshotMode.LVM) {
      int slash = lvmVolume.indexOf('/');
      if (slash <= 0 || slash == lvmVolume.length() - 1 || lvmVolume.indexOf('/', slash + 1) >= 0) {
        throw usage("--lvm-volume '" + lvmVolume + "' is not VG/LV (a volume group and a logical volume)");
      }
    }
    if (snapshot == SnapshotMode.ZFS && (zfsDataset.isBlank() || zfsDataset.contains("@"))) {
      throw usage("--zfs-dataset '" + zfsDataset + "' is not a ZFS dataset (POOL/DS, no @)");
    }
  }

  private static void put(Map<String, SnapshotMode> owner, Map<String, Boolean> given, String option,
      SnapshotMode mode, boolean isGiven) {
    owner.put(option, mode);
    given.put(option, isGiven);
  }

  private DirectoryDataset dataset(String source) {
    Matcher named = NAMED.matcher(source);
    boolean hasName = named.matches();
    String given = hasName ? named.group(2) : source;
    Path path;
    String defaultName;
    Function<Path, SnapshotProvider> provider;
    if (snapshot == SnapshotMode.LVM) {
      String[] vgLv = lvmVolume.split("/");
      Path mount = lvmMount.toAbsolutePath().normalize();
      LvmSnapshotProvider lvm = new LvmSnapshotProvider(vgLv[0], vgLv[1], lvmSize == null ? "1G" : lvmSize, mount,
          xfs, runner);
      String within = Path.of(given).normalize().toString();
      try {
        lvm = lvm.within(within);
      } catch (IllegalArgumentException e) {
        throw usage("with --snapshot lvm, PATH is a directory inside the volume, relative to its root ('.' for"
            + " all of it): '" + given + "' is not");
      }
      path = mount.resolve(within).normalize();
      Path last = Path.of(within).getFileName();
      defaultName = last == null || within.isEmpty() ? vgLv[1] : last.toString();
      LvmSnapshotProvider chosen = lvm;
      provider = root -> chosen;
    } else {
      path = Path.of(given).toAbsolutePath().normalize();
      defaultName = path.getFileName() == null ? null : path.getFileName().toString();
      provider = switch (snapshot) {
        case LIVE -> LiveSnapshotProvider::new;
        case PRECOPY -> PreCopySnapshotProvider::new;
        case BTRFS -> root -> snapshotDir == null ? new BtrfsSnapshotProvider(root, parentOf(root), runner)
            : new BtrfsSnapshotProvider(root, snapshotDir.toAbsolutePath().normalize(), runner);
        case REFLINK -> root -> new ReflinkSnapshotProvider(root, staging.toAbsolutePath().normalize(), runner);
        case ZFS -> root -> new ZfsSnapshotProvider(zfsDataset, root, runner);
        case LVM -> throw new AssertionError();
      };
      if (snapshot == SnapshotMode.BTRFS) {
        String why = notASubvolume.apply(path);
        if (why != null) {
          throw usage("--snapshot btrfs: " + given + " is not a btrfs subvolume: " + why);
        }
      }
      if (snapshot == SnapshotMode.ZFS && zfsMountpoint != null
          && !zfsMountpoint.toAbsolutePath().normalize().equals(path)) {
        throw usage("--zfs-mountpoint " + zfsMountpoint + " and PATH " + given + " differ: the dataset is the whole"
            + " ZFS dataset, read at its mount point; give one of them");
      }
    }
    if (!hasName && defaultName == null) {
      throw usage("'" + source + "' has no directory name to name its dataset after: write NAME=" + source);
    }
    DirectoryDataset.Builder d = DirectoryDataset.builder(hasName ? named.group(1) : defaultName, path)
        .provider(provider);
    excludes.forEach(d::exclude);
    return d.build();
  }

  private Path parentOf(Path subvolume) {
    Path parent = subvolume.getParent();
    if (parent == null) {
      throw usage("btrfs subvolume " + subvolume + " has no parent directory to snapshot into: give --snapshot-dir");
    }
    return parent;
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
      if (d.externalReferences().containsKey("ebs.consistency")) {
        Map<String, String> refs = d.externalReferences();
        List<String> snaps = refs.entrySet().stream().filter(e -> e.getKey().endsWith(".snapshot"))
            .map(e -> e.getKey().substring(4, e.getKey().length() - 9) + " -> " + e.getValue()).toList();
        root.say("dataset " + d.name() + " (ebs, consistency " + d.consistency().name().toLowerCase(Locale.ROOT)
            + ", " + refs.get("ebs.consistency") + "): " + String.join(", ", snaps));
        continue;
      }
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
