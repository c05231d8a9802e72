package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A copy-on-write copy of a directory (capability {@link Capability#INSTANT}), for filesystems with
 * reflinks but no snapshots (XFS made with {@code -m reflink=1}, btrfs, bcachefs): {@code take()}
 * runs {@code cp -a --reflink=always DIR STAGING/NAME}, sharing the files' data with the originals
 * instead of copying it, so it lasts as long as copying the metadata. The copy is the snapshot's
 * root; closing it runs {@code rm -rf} on it.
 *
 * <p>The staging directory must exist, on the same filesystem as the directory ({@code cp} refuses
 * otherwise, rather than copying the data). Unlike a filesystem snapshot the copy is made file by
 * file, so it is consistent only while the application is held still: use it under a gate.
 *
 * <p>On failure: a {@code take()} that fails (cp may stop half-way) removes whatever it had copied;
 * a close that cannot remove the copy logs and throws an IOException naming the command and its
 * output. Immutable and thread-safe; each snapshot is closed once (later closes do nothing).
 */
public final class ReflinkSnapshotProvider implements SnapshotProvider {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Path dir;
  private final Path stagingDir;
  private final CommandRunner runner;

  public ReflinkSnapshotProvider(Path dir, Path stagingDir) {
    this(dir, stagingDir, CommandRunner.system());
  }

  public ReflinkSnapshotProvider(Path dir, Path stagingDir, CommandRunner runner) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.stagingDir = Objects.requireNonNull(stagingDir, "stagingDir");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  @Override
  public String name() {
    return "reflink";
  }

  @Override
  public Capability capability() {
    return Capability.INSTANT;
  }

  @Override
  public Snapshot take() throws IOException {
    Path copy = stagingDir.resolve("." + TemporarySnapshot.newName());
    return Cleanup.whileMaking(cleanup -> {
      // added first: a cp that fails or is killed half-way leaves a partial copy
      cleanup.add(runner, List.of("rm", "-rf", "--one-file-system", "--", copy.toString()), TIMEOUT);
      runner.check(List.of("cp", "-a", "--reflink=always", "--", dir.toString(), copy.toString()), TIMEOUT);
      return new TemporarySnapshot(copy, cleanup);
    });
  }

  @Override
  public String toString() {
    return "reflink copies of " + dir + " in " + stagingDir;
  }
}
