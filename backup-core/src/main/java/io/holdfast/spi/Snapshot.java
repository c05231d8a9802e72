package io.holdfast.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A dataset frozen by its {@link SnapshotProvider}. The engine reads {@link #root()} and closes the
 * snapshot once when the backup no longer needs it (also after a failure); closing deletes whatever
 * the provider made (a temporary btrfs snapshot, a staging copy). The engine closes it only after
 * its reads and {@link #awaitCompletion} have stopped, never while they run.
 */
public interface Snapshot extends AutoCloseable {
  /** The files to copy into the repository, or null for a snapshot that stays outside it. */
  Path root();

  /**
   * References to data kept outside the repository (EBS snapshot ids), for the manifest: read
   * after {@link #awaitCompletion} returns. Entries an {@link ExternalReferenceReleaser} owns are
   * deleted by retention when no kept snapshot records them any more.
   */
  default Map<String, String> externalReferences() {
    return Map.of();
  }

  /**
   * Waits, after the gates are released and before the backup is committed, for work the provider
   * started inside the hold to finish (an EBS snapshot going from pending to completed). Runs while
   * the other datasets are read. Throws to fail the backup: the snapshot is then not committed, and
   * the message should say the state of each part. {@code status} takes short progress lines for
   * the listeners. The default returns at once.
   *
   * <p>When the backup fails for another reason while this still waits, the engine interrupts the
   * thread running it and waits for it to return before it calls {@link #close()}: this must stop
   * soon after that interrupt (throwing or returning; what it says is then ignored).
   */
  default void awaitCompletion(java.util.function.Consumer<String> status) throws IOException {}

  /**
   * The Holdfast snapshot holding this one is committed under {@code snapshotId} (its hex id).
   * Called once, after the commit; a failure here is a warning of the backup, not a failure.
   */
  default void committed(String snapshotId) throws IOException {}

  @Override
  default void close() throws IOException {}
}
