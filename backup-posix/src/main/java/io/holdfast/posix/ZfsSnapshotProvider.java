package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A ZFS snapshot of a dataset (capability {@link Capability#INSTANT}): {@code take()} runs
 * {@code zfs snapshot DATASET@NAME}, atomic and returned once committed, and the snapshot's root is
 * {@code MOUNTPOINT/.zfs/snapshot/NAME}, which ZFS mounts read-only on first access. Closing runs
 * {@code zfs destroy DATASET@NAME}.
 *
 * <p>{@code mountpoint} is where the dataset is mounted (its {@code mountpoint} property); child
 * datasets are not included.
 *
 * <p>On failure: a {@code take()} that fails leaves no snapshot (one the tool may have made before
 * it was killed for a timeout is destroyed); a close that cannot destroy the snapshot logs and
 * throws an IOException naming the command and zfs's output. Immutable and thread-safe; each
 * snapshot is closed once.
 */
public final class ZfsSnapshotProvider implements SnapshotProvider {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final String dataset;
  private final Path mountpoint;
  private final CommandRunner runner;

  public ZfsSnapshotProvider(String dataset, Path mountpoint) {
    this(dataset, mountpoint, CommandRunner.system());
  }

  public ZfsSnapshotProvider(String dataset, Path mountpoint, CommandRunner runner) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.mountpoint = Objects.requireNonNull(mountpoint, "mountpoint");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "zfs";
  }

  @Override
  public Capability capability() {
    return Capability.INSTANT;
  }

  @Override
  public Snapshot take() throws IOException {
    String name = TemporarySnapshot.newName();
    String snapshot = dataset + "@" + name;
    return Cleanup.whileMaking(cleanup -> {
      cleanup.make(runner, List.of("zfs", "snapshot", snapshot), TIMEOUT, List.of("zfs", "destroy", snapshot));
      return new TemporarySnapshot(mountpoint.resolve(".zfs").resolve("snapshot").resolve(name), cleanup);
    });
  }

  @Override
  public String toString() {
    return "ZFS snapshots of " + dataset;
  }
}
