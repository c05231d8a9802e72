package io.holdfast.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A dataset frozen by its {@link SnapshotProvider}. The engine reads {@link #root()} and closes the
 * snapshot when the backup no longer needs it (also after a failure); closing deletes whatever the
 * provider made (a temporary btrfs snapshot, a staging copy).
 */
public interface Snapshot extends AutoCloseable {
  /** The files to copy into the repository, or null for a snapshot that stays outside it. */
  Path root();

  /** References to data kept outside the repository (EBS snapshot ids), for the manifest. */
  default Map<String, String> externalReferences() {
    return Map.of();
  }

  @Override
  default void close() throws IOException {}
}
