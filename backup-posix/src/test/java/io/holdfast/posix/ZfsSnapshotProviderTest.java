package io.holdfast.posix;

import static io.holdfast.posix.LvmSnapshotProviderTest.commands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider.Capability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZfsSnapshotProviderTest {
  final RecordingCommandRunner runner = new RecordingCommandRunner();
  final ZfsSnapshotProvider provider = new ZfsSnapshotProvider("tank/app", Path.of("/tank/app"), runner);

  @Test
  void takeSnapshotsTheDatasetAndCloseDestroysTheSnapshot() throws IOException {
    assertThat(provider.name()).isEqualTo("zfs");
    assertThat(provider.capability()).isEqualTo(Capability.INSTANT);
    Snapshot snap = provider.take();
    String name = runner.calls().get(0).get(2).substring("tank/app@".length());
    assertThat(snap.root()).isEqualTo(Path.of("/tank/app/.zfs/snapshot", name));
    assertThat(commands(runner)).containsExactly("zfs snapshot tank/app@NAME");
    snap.close();
    snap.close();
    assertThat(runner.lines()).containsExactly("zfs snapshot tank/app@" + name, "zfs destroy tank/app@" + name);
  }

  @Test
  void aFailedSnapshotRunsNothingElse() {
    runner.answer(List.of("zfs", "snapshot"), 1, "cannot create snapshot: out of space");
    assertThatThrownBy(provider::take).isInstanceOf(IOException.class)
        .hasMessageContaining("zfs snapshot tank/app@").hasMessageContaining("out of space");
    assertThat(commands(runner)).containsExactly("zfs snapshot tank/app@NAME");
  }

  @Test
  void aSnapshotThatTimesOutIsDestroyed() {
    runner.answer(List.of("zfs", "snapshot"), c -> {
      throw new java.io.UncheckedIOException(new IOException("zfs did not finish within PT2M; killed"));
    });
    assertThatThrownBy(provider::take).hasMessageContaining("did not finish");
    assertThat(commands(runner)).containsExactly("zfs snapshot tank/app@NAME", "zfs destroy tank/app@NAME");
  }

  @Test
  void aFailedDestroyIsReportedNamingTheSnapshot() throws IOException {
    runner.answer(List.of("zfs", "destroy"), 1, "cannot destroy snapshot: dataset is busy");
    Snapshot snap = provider.take();
    assertThatThrownBy(snap::close).isInstanceOf(IOException.class)
        .hasMessageContaining("zfs destroy tank/app@holdfast-snap-").hasMessageContaining("dataset is busy");
    assertThat(commands(runner)).containsExactly("zfs snapshot tank/app@NAME", "zfs destroy tank/app@NAME");
  }
}
