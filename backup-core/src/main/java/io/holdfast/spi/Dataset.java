package io.holdfast.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A named unit of an application's data ({@code config}, {@code metadata}, {@code blobs}): where
 * it lives, what to leave out, and which provider freezes it. Implementations are immutable and
 * thread-safe.
 */
public interface Dataset {
  /** The dataset's name: its directory in the snapshot's root tree; unique within a plan. */
  String name();

  /** The provider that freezes this dataset. */
  SnapshotProvider provider();

  /** Where the dataset lives, for a restore to its original location; empty if it has no path. */
  default Optional<Path> location() {
    return Optional.empty();
  }

  /**
   * Whether to leave out the entry at {@code path} (relative to the snapshot root, '/'-separated);
   * an excluded directory is not entered. The default keeps everything.
   */
  default boolean excludes(String path, boolean directory) {
    return false;
  }

  /** A few facts for the snapshot's manifest (kind, location, patterns); no secrets. */
  default Map<String, String> describe() {
    return Map.of();
  }
}
