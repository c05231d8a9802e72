package io.holdfast.spi;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application's own check of a backup, run by verify: "every blob the metadata database lists
 * is in the blob store", "the configuration parses". It gets a read-only view of one snapshot (a
 * {@link FileSystem} with one directory per dataset and {@code /.holdfast/manifest.json}) and
 * returns what it finds wrong; an empty list means the snapshot passed.
 *
 * <p>The view is opened and closed by verify; a validator must not keep it. Reads fetch only the
 * blobs they touch, each checked against its hash; a damaged blob surfaces as an {@link IOException}
 * naming the path. A validator that throws is reported as a finding of that snapshot, never as a
 * sound result. Implementations may be called from several threads for different snapshots.
 */
public interface SnapshotValidator {
  /** A short name for reports ({@code metadata-blobs}). */
  String name();

  /** Checks {@code snapshot}, whose files {@code view} shows; returns the findings, empty if sound. */
  List<Finding> validate(Target snapshot, FileSystem view) throws IOException;

  /**
   * The snapshot a validator checks.
   *
   * @param id the snapshot's full hex id
   * @param plan the Holdfast plan that wrote it (its {@code plan:} tag), if any
   */
  record Target(String id, Instant time, Optional<String> plan, List<String> tags) {
    public Target {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(plan, "plan");
      tags = List.copyOf(tags);
    }
  }

  /**
   * One thing a validator found wrong.
   *
   * @param path the path in the snapshot concerned, or {@code /} for the snapshot as a whole
   */
  record Finding(String path, String message) {
    public Finding {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
    }
  }
}
