package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The pre-copy strategy for directories on any filesystem: the engine reads the live directory in
 * full while the application runs, then, inside the gate hold, reads it again reusing every file
 * whose size, mtime, ctime and inode did not change. The hold lasts as long as rereading the change,
 * not the data (capability {@link Capability#PRE_COPY}).
 */
public final class PreCopySnapshotProvider implements SnapshotProvider {
  private final Path root;

  public PreCopySnapshotProvider(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "precopy";
  }

  @Override
  public Capability capability() {
    return Capability.PRE_COPY;
  }

  @Override
  public Snapshot take() throws IOException {
    return LiveSnapshotProvider.liveView(root);
  }
}
