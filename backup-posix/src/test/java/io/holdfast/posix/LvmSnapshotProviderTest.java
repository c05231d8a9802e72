package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider.Capability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LvmSnapshotProviderTest {
  static final Path MOUNT = Path.of("/mnt/holdfast");
  final RecordingCommandRunner runner = new RecordingCommandRunner();

  private LvmSnapshotProvider provider(boolean xfs) {
    return new LvmSnapshotProvider("vg0", "data", "2G", MOUNT, xfs, runner);
  }

  /** The commands run, with the generated snapshot name as NAME. */
  static List<String> commands(RecordingCommandRunner runner) {
    return runner.lines().stream().map(l -> l.replaceAll("holdfast-snap-[0-9TZ]+-[0-9a-f]+", "NAME")).toList();
  }

  @Test
  void takeCreatesAndMountsASnapshotAndCloseUnmountsAndRemovesIt() throws IOException {
    LvmSnapshotProvider p = provider(false);
    assertThat(p.name()).isEqualTo("lvm");
    assertThat(p.capability()).isEqualTo(Capability.INSTANT);
    Snapshot snap = p.take();
    assertThat(snap.root()).isEqualTo(MOUNT);
    assertThat(commands(runner)).containsExactly(
        "lvcreate --snapshot --size 2G --name NAME vg0/data",
        "mount -o ro /dev/vg0/NAME /mnt/holdfast");
    snap.close();
    snap.close();
    assertThat(commands(runner)).containsExactly(
        "lvcreate --snapshot --size 2G --name NAME vg0/data",
        "mount -o ro /dev/vg0/NAME /mnt/holdfast",
        "umount /mnt/holdfast",
        "lvremove -f vg0/NAME");
    String name = runner.calls().get(0).get(5);
    assertThat(runner.lines().get(3)).isEqualTo("lvremove -f vg0/" + name);
  }

  @Test
  void xfsIsMountedWithNouuidAndASubpathIsTheRoot() throws IOException {
    try (Snapshot snap = provider(true).within("srv/app").take()) {
      assertThat(snap.root()).isEqualTo(MOUNT.resolve("srv/app"));
    }
    assertThat(commands(runner)).contains("mount -o ro,nouuid /dev/vg0/NAME /mnt/holdfast");
    assertThatThrownBy(() -> provider(true).within("../etc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailedLvcreateRunsNothingElse() {
    runner.answer(List.of("lvcreate"), 5, "  Volume group \"vg0\" has insufficient free space");
    assertThatThrownBy(() -> provider(false).take()).isInstanceOf(IOException.class)
        .hasMessageContaining("lvcreate --snapshot").hasMessageContaining("insufficient free space");
    assertThat(commands(runner)).containsExactly("lvcreate --snapshot --size 2G --name NAME vg0/data");
  }

  @Test
  void aFailedMountRemovesTheNewVolume() {
    runner.answer(List.of("mount"), 32, "mount: wrong fs type");
    assertThatThrownBy(() -> provider(false).take()).isInstanceOf(IOException.class)
        .hasMessageContaining("mount -o ro").hasMessageContaining("wrong fs type");
    assertThat(commands(runner)).containsExactly(
        "lvcreate --snapshot --size 2G --name NAME vg0/data",
        "mount -o ro /dev/vg0/NAME /mnt/holdfast",
        "lvremove -f vg0/NAME");
  }

  @Test
  void aMountThatTimesOutIsUnmountedAndRemoved() {
    runner.answer(List.of("mount"), c -> {
      throw new java.io.UncheckedIOException(new IOException("mount did not finish within PT2M; killed"));
    });
    assertThatThrownBy(() -> provider(false).take()).hasMessageContaining("did not finish");
    assertThat(commands(runner)).containsExactly(
        "lvcreate --snapshot --size 2G --name NAME vg0/data",
        "mount -o ro /dev/vg0/NAME /mnt/holdfast",
        "umount /mnt/holdfast",
        "lvremove -f vg0/NAME");
  }

  @Test
  void aFailedUnmountStillRemovesTheVolumeAndIsReported() throws IOException {
    runner.answer(List.of("umount"), 32, "umount: /mnt/holdfast: target is busy.");
    Snapshot snap = provider(false).take();
    assertThatThrownBy(snap::close).isInstanceOf(IOException.class)
        .hasMessageContaining("umount /mnt/holdfast").hasMessageContaining("target is busy");
    assertThat(commands(runner)).endsWith("umount /mnt/holdfast", "lvremove -f vg0/NAME");
  }

  @Test
  void aFailedRemoveIsReportedNamingTheVolume() throws IOException {
    runner.answer(List.of("lvremove"), 5, "Logical volume vg0/x in use.");
    Snapshot snap = provider(false).take();
    String name = runner.calls().get(0).get(5);
    assertThatThrownBy(snap::close).isInstanceOf(IOException.class)
        .hasMessageContaining("lvremove -f vg0/" + name).hasMessageContaining("in use");
  }
}
