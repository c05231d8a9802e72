package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A read-only btrfs snapshot of a subvolume (capability {@link Capability#INSTANT}):
 * {@code take()} runs {@code btrfs subvolume snapshot -r SUBVOLUME SNAPSHOT_DIR/NAME}, which returns
 * once the snapshot is committed, and the snapshot's root is that new subvolume. Closing it runs
 * {@code btrfs subvolume delete} on it.
 *
 * <p>The snapshot directory must be on the same btrfs filesystem as the subvolume; by default it is
 * the subvolume's parent directory, which is not when the subvolume is the filesystem's mount root
 * (pass a directory then). Names are {@code .holdfast-snap-<utc>-<random>}, so concurrent takes
 * never collide. Nested subvolumes are not part of a btrfs snapshot: they appear as empty directories.
 *
 * <p>On failure: a {@code take()} that fails leaves no snapshot behind (one the tool may have made
 * before it was killed for a timeout is deleted); a close that cannot delete the snapshot logs and
 * throws an IOException naming the command, the path and btrfs's output. Immutable and thread-safe;
 * each snapshot is closed once (later closes do nothing).
 */
public final class BtrfsSnapshotProvider implements SnapshotProvider {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path subvolume;
  private final Path snapshotDir;
  private final CommandRunner runner;

  /** Snapshots of {@code subvolume}, kept in its parent directory while they are read. */
  public BtrfsSnapshotProvider(Path subvolume) {
    this(subvolume, defaultSnapshotDir(subvolume), CommandRunner.system());
  }

  public BtrfsSnapshotProvider(Path subvolume, Path snapshotDir) {
    this(subvolume, snapshotDir, CommandRunner.system());
  }

  public BtrfsSnapshotProvider(Path subvolume, Path snapshotDir, CommandRunner runner) {
    this.subvolume = Objects.requireNonNull(subvolume, "subvolume");
    this.snapshotDir = Objects.requireNonNull(snapshotDir, "snapshotDir");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  private static Path defaultSnapshotDir(Path subvolume) {
    Path parent = subvolume.toAbsolutePath().normalize().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("btrfs subvolume " + subvolume + " has no parent directory: "
          + "give a snapshot directory on the same filesystem");
    }
    return parent;
  }

  @Override
  public String name() {
    return "btrfs";
  }

  @Override
  public Capability capability() {
    return Capability.INSTANT;
  }

  @Override
  public Snapshot take() throws IOException {
    Path snapshot = snapshotDir.resolve("." + TemporarySnapshot.newName());
    return Cleanup.whileMaking(cleanup -> {
      cleanup.make(runner, List.of("btrfs", "subvolume", "snapshot", "-r", subvolume.toString(), snapshot.toString()),
          TIMEOUT, List.of("btrfs", "subvolume", "delete", snapshot.toString()));
      return new TemporarySnapshot(snapshot, cleanup);
    });
  }

  @Override
  public String toString() {
    return "btrfs snapshots of " + subvolume + " in " + snapshotDir;
  }
}
