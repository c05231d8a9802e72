package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * No snapshot at all: the live directory is read as it is, so the engine keeps the gate held until
 * it has been read to the end (capability {@link Capability#NONE}).
 */
public final class LiveSnapshotProvider implements SnapshotProvider {
  private final Path root;

  public LiveSnapshotProvider(Path root) {
    this.root = root;
  }

  @Override
  public String name() {
    return "live";
  }

  @Override
  public Capability capability() {
    return Capability.NONE;
  }

  @Override
  public Snapshot take() throws IOException {
    return liveView(root);
  }

  /** The directory itself as a snapshot; fails if it is missing or not a directory. */
  static Snapshot liveView(Path root) throws IOException {
    if (!Files.exists(root)) {
      throw new NoSuchFileException(root.toString(), null, "dataset directory does not exist");
    }
    if (!Files.isDirectory(root)) {
      throw new NotDirectoryException(root.toString());
    }
    return () -> root;
  }
}
