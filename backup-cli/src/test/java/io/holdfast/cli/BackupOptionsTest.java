package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.posix.BtrfsSnapshotProvider;
import io.holdfast.posix.CommandGate;
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
import io.holdfast.spi.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The providers and gates {@code backup}'s options build, checked through the commands they would
 * run on a recording {@link CommandRunner}: no btrfs, lvm, zfs, fsfreeze or systemctl runs here.
 */
class BackupOptionsTest {
  @TempDir Path tmp;
  final List<List<String>> ran = new ArrayList<>();
  /** Answers every command with exit 0 and this output for the command line. */
  Function<List<String>, String> output = c -> "";
  final CommandRunner recorder = (command, timeout) -> {
    ran.add(command);
    return new CommandRunner.Result(0, output.apply(command));
  };
  HoldfastCommand root;

  @BeforeEach
  void setUp() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    root = new HoldfastCommand(Map.of(), sink, sink, Terminal.none());
  }

  @AfterEach
  void tearDown() {
    root.close();
  }

  private BackupCommand parse(String... args) {
    return parse(true, args);
  }

  /** With {@code anyDirIsASubvolume}, btrfs mode takes any path for a subvolume. */
  private BackupCommand parse(boolean anyDirIsASubvolume, String... args) {
    BackupCommand backup = new BackupCommand(root);
    backup.runner = recorder;
    if (anyDirIsASubvolume) {
      backup.notASubvolume = p -> null;
    }
    CommandLine cl = new CommandLine(root);
    cl.addSubcommand(backup);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    List<String> all = new ArrayList<>(List.of("backup"));
    all.addAll(List.of(args));
    cl.parseArgs(all.toArray(String[]::new));
    return backup;
  }

  private DirectoryDataset only(String... args) {
    List<DirectoryDataset> ds = parse(args).datasets();
    assertThat(ds).hasSize(1);
    return ds.get(0);
  }

  /** Takes and closes one snapshot; returns the root it had. */
  private Path takeAndClose(DirectoryDataset d) throws Exception {
    try (Snapshot s = d.provider().take()) {
      return s.root();
    }
  }

  @Test
  void liveAndPrecopyStayAsTheyWere() {
    Path data = tmp.resolve("data");
    assertThat(only(data.toString()).provider()).isInstanceOf(LiveSnapshotProvider.class);
    assertThat(only("--snapshot", "precopy", data.toString()).provider()).isInstanceOf(PreCopySnapshotProvider.class);
    assertThat(parse(data.toString()).gates()).isEmpty();
  }

  @Test
  void btrfsSnapshotsEachSubvolumeInItsParentOrTheSnapshotDir() throws Exception {
    Path a = tmp.resolve("vol/a");
    Path b = tmp.resolve("vol/b");
    List<DirectoryDataset> ds = parse("--snapshot", "btrfs", a.toString(), "bee=" + b).datasets();
    assertThat(ds).extracting(DirectoryDataset::name).containsExactly("a", "bee");
    assertThat(ds).allSatisfy(d -> assertThat(d.provider()).isInstanceOf(BtrfsSnapshotProvider.class));
    Path snap = takeAndClose(ds.get(0));
    assertThat(snap.getParent()).isEqualTo(tmp.resolve("vol"));
    assertThat(ran).containsExactly(List.of("btrfs", "subvolume", "snapshot", "-r", a.toString(), snap.toString()),
        List.of("btrfs", "subvolume", "delete", snap.toString()));

    ran.clear();
    Path dir = tmp.resolve("snaps");
    Path inDir = takeAndClose(only("--snapshot", "btrfs", "--snapshot-dir", dir.toString(), a.toString()));
    assertThat(inDir.getParent()).isEqualTo(dir);
    assertThat(ran.get(0)).containsExactly("btrfs", "subvolume", "snapshot", "-r", a.toString(), inDir.toString());
  }

  @Test
  void reflinkCopiesIntoTheStagingDirectory() throws Exception {
    Path data = tmp.resolve("data");
    Path staging = tmp.resolve("staging");
    DirectoryDataset d = only("--snapshot", "reflink", "--staging", staging.toString(), data.toString());
    assertThat(d.provider()).isInstanceOf(ReflinkSnapshotProvider.class);
    Path copy = takeAndClose(d);
    assertThat(copy.getParent()).isEqualTo(staging);
    assertThat(ran).contains(List.of("cp", "-a", "--reflink=always", "--", data.toString(), copy.toString()));
  }

  @Test
  void lvmMountsASnapshotOfTheVolumeAndReadsThePathInsideIt() throws Exception {
    Path mount = tmp.resolve("mnt");
    DirectoryDataset d = only("--snapshot", "lvm", "--lvm-volume", "vg0/data", "--lvm-mount", mount.toString(),
        "--lvm-size", "10%ORIGIN", "--xfs", "pg/main");
    assertThat(d.provider()).isInstanceOf(LvmSnapshotProvider.class);
    assertThat(d.name()).isEqualTo("main");
    assertThat(d.root()).isEqualTo(mount.resolve("pg/main"));
    assertThat(takeAndClose(d)).isEqualTo(mount.resolve("pg/main"));
    String snap = ran.get(0).get(5);
    assertThat(ran).containsExactly(
        List.of("lvcreate", "--snapshot", "--size", "10%ORIGIN", "--name", snap, "vg0/data"),
        List.of("mount", "-o", "ro,nouuid", "/dev/vg0/" + snap, mount.toString()),
        List.of("umount", mount.toString()),
        List.of("lvremove", "-f", "vg0/" + snap));

    ran.clear();
    DirectoryDataset whole = only("--snapshot", "lvm", "--lvm-volume", "vg0/data", "--lvm-mount", mount.toString(),
        ".");
    assertThat(whole.name()).isEqualTo("data");
    assertThat(takeAndClose(whole)).isEqualTo(mount);
    assertThat(ran.get(0)).containsSequence("--size", "1G");
    assertThat(ran.get(1)).containsSequence("-o", "ro");
  }

  @Test
  void zfsSnapshotsTheDatasetMountedAtThePath() throws Exception {
    Path mp = tmp.resolve("tank-db");
    for (BackupCommand c : List.of(parse("--snapshot", "zfs", "--zfs-dataset", "tank/db", mp.toString()),
        parse("--snapshot", "zfs", "--zfs-dataset", "tank/db", "--zfs-mountpoint", mp.toString(), "db=" + mp))) {
      ran.clear();
      List<DirectoryDataset> ds = c.datasets();
      assertThat(ds).hasSize(1);
      assertThat(ds.get(0).root()).isEqualTo(mp);
      assertThat(ds.get(0).provider()).isInstanceOf(ZfsSnapshotProvider.class);
      Path snap = takeAndClose(ds.get(0));
      String name = snap.getFileName().toString();
      assertThat(snap).isEqualTo(mp.resolve(".zfs/snapshot").resolve(name));
      assertThat(ran).containsExactly(List.of("zfs", "snapshot", "tank/db@" + name),
          List.of("zfs", "destroy", "tank/db@" + name));
    }
  }

  @Test
  void gatesComeAfterTheCommandGateInTheOrderGiven() throws Exception {
    Path mnt = tmp.resolve("mnt");
    List<ConsistencyGate> gates = parse("--gate-start", "true", "--gate", "systemd:postgresql.service",
        "--gate", "fsfreeze:" + mnt, "--gate", "systemd:nginx", tmp.toString()).gates();
    assertThat(gates).hasSize(4);
    assertThat(gates.get(0)).isInstanceOf(CommandGate.class);
    assertThat(gates.get(1)).isInstanceOf(SystemdGate.class);
    assertThat(gates.get(2)).isInstanceOf(FsfreezeGate.class);
    assertThat(gates.get(3)).isInstanceOf(SystemdGate.class);
    assertThat(gates.subList(1, 4)).extracting(ConsistencyGate::name)
        .containsExactly("systemd postgresql.service", "fsfreeze " + mnt, "systemd nginx");

    // Never acquired here: the systemd gate's watchdog would run the real systemctl on this host
    // (its command sequence is tested in backup-posix with a fake watchdog).
  }

  /**
   * The deadline, in the watchdog's 200 ms ticks, of the one watchdog process the fsfreeze gate
   * {@code args} build starts on acquire (the freeze itself goes to the recorder, and a watchdog
   * that fired would only try to thaw a directory that is not mounted).
   */
  private Duration watchdogDeadlineOfTheFsfreezeGate(String... args) throws Exception {
    Path mnt = tmp.resolve("mnt-" + args.length);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--gate", "fsfreeze:" + mnt, tmp.toString()));
    ConsistencyGate.Hold hold = parse(all.toArray(String[]::new)).gates().get(0).acquire(Duration.ofSeconds(5));
    try {
      String pid = Long.toString(ProcessHandle.current().pid());
      List<String> watchdog = ProcessHandle.allProcesses()
          .map(h -> h.info().arguments().map(List::of).orElse(List.of()))
          .filter(a -> a.contains("holdfast-undo-watchdog") && a.contains(pid) && a.contains(mnt.toString()))
          .findFirst().orElseThrow(() -> new AssertionError("no watchdog for " + mnt));
      long ticks = Long.parseLong(watchdog.get(watchdog.indexOf(pid) + 1));
      return Duration.ofMillis(ticks * 200);
    } finally {
      hold.release();
    }
  }

  @Test
  void gateWatchdogsWaitAMinutePastThePlansMaximumHoldWithOrWithoutMaxHold() throws Exception {
    assertThat(parse(tmp.toString()).maxHold()).isEqualTo(Duration.ofMinutes(5));
    assertThat(watchdogDeadlineOfTheFsfreezeGate()).isEqualTo(Duration.ofMinutes(6));
    assertThat(watchdogDeadlineOfTheFsfreezeGate("--max-hold", "10m")).isEqualTo(Duration.ofMinutes(11));
    assertThat(parse("--max-hold", "10m", tmp.toString()).watchdogDeadline()).isEqualTo(Duration.ofMinutes(11));
    assertThat(parse("--max-hold", "30s", tmp.toString()).watchdogDeadline())
        .as("never sooner than the gates' own default").isEqualTo(FsfreezeGate.DEFAULT_MAX_HOLD);
  }

  @Test
  void aRelativeFsfreezeMountIsMadeAbsolute() {
    ConsistencyGate g = parse("--gate", "fsfreeze:some/mnt", tmp.toString()).gates().get(0);
    assertThat(g.name()).isEqualTo("fsfreeze " + Path.of("some/mnt").toAbsolutePath());
  }

  private String error(String... args) {
    BackupCommand c = parse(args);
    try {
      c.datasets();
      c.gates();
    } catch (ParameterException e) {
      return e.getMessage();
    }
    throw new AssertionError("no ParameterException for " + List.of(args));
  }

  @Test
  void missingOptionsAreNamed() {
    String data = tmp.resolve("data").toString();
    assertThat(error("--snapshot", "reflink", data)).isEqualTo("--snapshot reflink needs --staging DIR");
    assertThat(error("--snapshot", "lvm", data)).isEqualTo("--snapshot lvm needs --lvm-volume VG/LV and --lvm-mount DIR");
    assertThat(error("--snapshot", "lvm", "--lvm-volume", "vg0/data", "x"))
        .isEqualTo("--snapshot lvm needs --lvm-mount DIR");
    assertThat(error("--snapshot", "zfs", data)).isEqualTo("--snapshot zfs needs --zfs-dataset POOL/DS");
    assertThat(error("--gate", "fsfreeze:", data)).contains("fsfreeze:MOUNT");
    assertThat(error("--gate", "systemd", data)).contains("systemd:UNIT");
  }

  @Test
  void contradictoryOrMalformedOptionsAreNamed() {
    String data = tmp.resolve("data").toString();
    String mnt = tmp.resolve("mnt").toString();
    assertThat(error("--staging", mnt, data)).isEqualTo("--staging applies only to --snapshot reflink, not to"
        + " --snapshot live");
    assertThat(error("--snapshot", "btrfs", "--xfs", "--lvm-size", "2G", data))
        .isEqualTo("--lvm-size, --xfs apply only to --snapshot lvm, not to --snapshot btrfs");
    assertThat(error("--snapshot", "reflink", "--staging", mnt, "--snapshot-dir", mnt, data))
        .startsWith("--snapshot-dir applies only to --snapshot btrfs");
    assertThat(error("--snapshot", "lvm", "--lvm-volume", "data", "--lvm-mount", mnt, "x"))
        .contains("--lvm-volume 'data' is not VG/LV");
    assertThat(error("--snapshot", "lvm", "--lvm-volume", "vg/data", "--lvm-mount", mnt, "/srv/x"))
        .contains("PATH is a directory inside the volume", "'/srv/x'");
    assertThat(error("--snapshot", "lvm", "--lvm-volume", "vg/data", "--lvm-mount", mnt, "../x")).contains("'../x'");
    assertThat(error("--snapshot", "lvm", "--lvm-volume", "vg/data", "--lvm-mount", mnt, "a", "b"))
        .isEqualTo("--snapshot lvm snapshots one volume: give one PATH, not 2");
    assertThat(error("--snapshot", "zfs", "--zfs-dataset", "tank/db", data, mnt)).contains("give one PATH");
    assertThat(error("--snapshot", "zfs", "--zfs-dataset", "tank/db@x", data)).contains("not a ZFS dataset");
    assertThat(error("--snapshot", "zfs", "--zfs-dataset", "tank/db", "--zfs-mountpoint", mnt, data))
        .contains("--zfs-mountpoint", "differ");
    assertThat(error("--gate", "command:a,b", data))
        .isEqualTo("--gate 'command:a,b': unknown kind 'command'; the kinds are fsfreeze:MOUNT, systemd:UNIT");
    assertThat(error("--gate", "systemd:-x", data)).contains("not a unit name");
  }

  @Test
  void btrfsRefusesAPathThatIsNotASubvolume() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    assertThatThrownBy(() -> parse(false, "--snapshot", "btrfs", plain.toString()).datasets())
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--snapshot btrfs: " + plain + " is not a btrfs subvolume: ");
    assertThat(BackupCommand.notASubvolume(tmp.resolve("missing"))).isEqualTo("there is no such directory");
  }

  /** Through {@link Main}: exit 1 with the message and the hint, before the repository is opened. */
  @Test
  void optionErrorsAreUsageErrors() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Cli.Result r = Cli.on(tmp.resolve("no-repo")).run("backup", "--snapshot", "reflink", data.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("holdfast: --snapshot reflink needs --staging DIR\n")
        .contains("Try 'holdfast backup --help'");
    Cli.Result g = Cli.on(tmp.resolve("no-repo")).run("backup", "--gate", "nope:x", data.toString());
    assertThat(g.exit()).isEqualTo(1);
    assertThat(g.err()).contains("unknown kind 'nope'", "fsfreeze:MOUNT", "systemd:UNIT");
    assertThat(tmp.resolve("no-repo")).doesNotExist();
  }

  @Test
  void helpListsTheModesAndGates() {
    Cli.Result r = new Cli().run("backup", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("live|precopy|btrfs|reflink|lvm|zfs", "--staging", "--lvm-volume", "--lvm-size",
        "10%ORIGIN", "--lvm-mount", "--xfs", "--zfs-dataset", "--zfs-mountpoint", "--snapshot-dir", "--gate",
        "fsfreeze:MOUNT", "systemd:UNIT");
  }
}
