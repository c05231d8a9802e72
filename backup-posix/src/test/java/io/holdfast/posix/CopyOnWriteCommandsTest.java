package io.holdfast.posix;

import static io.holdfast.posix.LvmSnapshotProviderTest.commands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands the btrfs and reflink providers run, on every path (the real tools: their own tests). */
class CopyOnWriteCommandsTest {
  final RecordingCommandRunner runner = new RecordingCommandRunner();
  final BtrfsSnapshotProvider btrfs = new BtrfsSnapshotProvider(Path.of("/srv/data"), Path.of("/srv"), runner);
  final ReflinkSnapshotProvider reflink = new ReflinkSnapshotProvider(Path.of("/srv/data"), Path.of("/srv/stage"), runner);

  @Test
  void btrfsSnapshotsReadOnlyAndDeletesOnClose() throws IOException {
    Snapshot snap = btrfs.take();
    assertThat(snap.root().toString()).matches("/srv/\\.holdfast-snap-[0-9TZ]+-[0-9a-f]+");
    snap.close();
    assertThat(commands(runner)).containsExactly(
        "btrfs subvolume snapshot -r /srv/data /srv/.NAME", "btrfs subvolume delete /srv/.NAME");
  }

  @Test
  void btrfsDeletesASnapshotWhoseCommandWasKilledButNotOneThatFailed() {
    runner.answer(List.of("btrfs", "subvolume", "snapshot"), 1, "ERROR: cannot snapshot: Read-only file system");
    assertThatThrownBy(btrfs::take).hasMessageContaining("btrfs subvolume snapshot -r /srv/data /srv/.holdfast-snap-")
        .hasMessageContaining("Read-only file system");
    assertThat(commands(runner)).containsExactly("btrfs subvolume snapshot -r /srv/data /srv/.NAME");

    RecordingCommandRunner killed = new RecordingCommandRunner().answer(List.of("btrfs", "subvolume", "snapshot"), c -> {
      throw new UncheckedIOException(new IOException("btrfs did not finish within PT2M; killed"));
    });
    assertThatThrownBy(new BtrfsSnapshotProvider(Path.of("/srv/data"), Path.of("/srv"), killed)::take)
        .hasMessageContaining("did not finish");
    assertThat(commands(killed)).containsExactly(
        "btrfs subvolume snapshot -r /srv/data /srv/.NAME", "btrfs subvolume delete /srv/.NAME");
  }

  @Test
  void btrfsReportsADeleteThatFailsNamingThePath() throws IOException {
    runner.answer(List.of("btrfs", "subvolume", "delete"), 1, "ERROR: Device or resource busy");
    Snapshot snap = btrfs.take();
    assertThatThrownBy(snap::close).isInstanceOf(IOException.class)
        .hasMessageContaining("btrfs subvolume delete " + snap.root()).hasMessageContaining("resource busy");
  }

  @Test
  void reflinkCopiesAndRemovesTheCopyOnClose() throws IOException {
    Snapshot snap = reflink.take();
    assertThat(snap.root().getParent()).isEqualTo(Path.of("/srv/stage"));
    snap.close();
    assertThat(commands(runner)).containsExactly(
        "cp -a --reflink=always -- /srv/data /srv/stage/.NAME",
        "rm -rf --one-file-system -- /srv/stage/.NAME");
  }

  @Test
  void reflinkRemovesAPartialCopyWhenCpFails() {
    runner.answer(List.of("cp"), 1, "cp: failed to clone '/srv/stage/x/a': Operation not supported");
    assertThatThrownBy(reflink::take).hasMessageContaining("cp -a --reflink=always").hasMessageContaining("failed to clone");
    assertThat(commands(runner)).containsExactly(
        "cp -a --reflink=always -- /srv/data /srv/stage/.NAME",
        "rm -rf --one-file-system -- /srv/stage/.NAME");
  }
}
