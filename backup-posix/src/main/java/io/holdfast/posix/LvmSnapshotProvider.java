package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An LVM snapshot of a logical volume, mounted read-only (capability {@link Capability#INSTANT}):
 * {@code take()} runs {@code lvcreate --snapshot --size SIZE --name NAME VG/LV} (device-mapper
 * freezes the mounted filesystem for the moment it takes) and then
 * {@code mount -o ro /dev/VG/NAME MOUNT_POINT}, with {@code nouuid} for XFS, which refuses to mount
 * a second filesystem with the same UUID. The snapshot's root is the mount point, or a directory
 * within it ({@link #within}). Closing runs {@code umount MOUNT_POINT}, then
 * {@code lvremove -f VG/NAME}.
 *
 * <p>{@code SIZE} is the copy-on-write space for the blocks the application changes while the
 * snapshot is read ({@code 1G}, {@code 10%ORIGIN}); a snapshot that fills up becomes invalid and
 * its reads fail. The mount point must exist, and only one snapshot of a provider can be mounted at
 * a time.
 *
 * <p>On failure: every step undoes what the steps before it made (a mount that fails removes the
 * new volume); a close runs every step even when one fails (an unmount that fails still tries
 * {@code lvremove}) and throws an IOException naming the first command that failed and its
 * output, the others suppressed. Immutable and thread-safe; each snapshot is closed once.
 */
public final class LvmSnapshotProvider implements SnapshotProvider {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final String vg;
  private final String lv;
  private final String size;
  private final Path mountPoint;
  private final boolean xfs;
  private final String subpath;
  private final CommandRunner runner;

  public LvmSnapshotProvider(String vg, String lv, String size, Path mountPoint, boolean xfs) {
    this(vg, lv, size, mountPoint, xfs, CommandRunner.system());
  }

  public LvmSnapshotProvider(String vg, String lv, String size, Path mountPoint, boolean xfs, CommandRunner runner) {
    this(vg, lv, size, mountPoint, xfs, "", runner);
  }

  private LvmSnapshotProvider(String vg, String lv, String size, Path mountPoint, boolean xfs, String subpath,
      CommandRunner runner) {
    this.vg = Objects.requireNonNull(vg, "vg");
    this.lv = Objects.requireNonNull(lv, "lv");
    this.size = Objects.requireNonNull(size, "size");
    this.mountPoint = Objects.requireNonNull(mountPoint, "mountPoint");
    this.xfs = xfs;
    this.subpath = subpath;
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /**
   * This provider with snapshots rooted at {@code relative} inside the mounted volume (the dataset
   * is one directory of the volume).
   *
   * @throws IllegalArgumentException if {@code relative} is absolute or leaves the mount point
   */
  public LvmSnapshotProvider within(String relative) {
    Path p = mountPoint.resolve(relative).normalize();
    if (mountPoint.getFileSystem().getPath(relative).isAbsolute() || !p.startsWith(mountPoint.normalize())) {
      throw new IllegalArgumentException("not a path inside the volume: " + relative);
    }
    return new LvmSnapshotProvider(vg, lv, size, mountPoint, xfs, relative, runner);
  }

  @Override
  public String name() {
    return "lvm";
  }

  @Override
  public Capability capability() {
    return Capability.INSTANT;
  }

  @Override
  public Snapshot take() throws IOException {
    String name = TemporarySnapshot.newName();
    String volume = vg + "/" + name;
    return Cleanup.whileMaking(cleanup -> {
      cleanup.make(runner, List.of("lvcreate", "--snapshot", "--size", size, "--name", name, vg + "/" + lv),
          TIMEOUT, List.of("lvremove", "-f", volume));
      cleanup.make(runner, List.of("mount", "-o", xfs ? "ro,nouuid" : "ro", "/dev/" + volume, mountPoint.toString()),
          TIMEOUT, List.of("umount", mountPoint.toString()));
      return new TemporarySnapshot(subpath.isEmpty() ? mountPoint : mountPoint.resolve(subpath), cleanup);
    });
  }

  @Override
  public String toString() {
    return "LVM snapshots of " + vg + "/" + lv + " at " + mountPoint;
  }
}
