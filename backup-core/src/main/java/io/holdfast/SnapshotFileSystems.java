package io.holdfast;

import io.holdfast.internal.fs.SnapshotFileSystem;
import io.holdfast.internal.repo.RepositoryLock;
import java.nio.file.FileSystem;
import java.nio.file.ReadOnlyFileSystemException;
import java.time.Clock;

/**
 * Time travel: a snapshot opened as a read-only {@link FileSystem}, to browse with the ordinary
 * {@link java.nio.file.Files} API and copy files out of. The root directory holds one directory
 * per dataset (and {@code .holdfast/manifest.json}); paths are unix-like ({@code /config/app.yml}),
 * with URIs of scheme {@code holdfast}.
 *
 * <pre>{@code
 * try (FileSystem snap = SnapshotFileSystems.open(repo, SnapshotSelector.asOf(yesterday).plan("calendar"))) {
 *   Files.copy(snap.getPath("/config/calendar.yml"), Path.of("/etc/calendar/calendar.yml"));
 * }
 * }</pre>
 *
 * <p>Reads fetch only the blobs they touch, each checked against its hash. Every change (writing,
 * creating, deleting, moving, setting an attribute) throws {@link ReadOnlyFileSystemException}.
 * The file system may be read by many threads at once.
 *
 * <p>Who closes what: the caller closes the returned file system. It holds the repository open
 * and a shared lock on it (so no prune removes what it reads) until then; closing releases both.
 * After closing, every read throws {@link java.nio.file.ClosedFileSystemException}.
 */
public final class SnapshotFileSystems {
  private SnapshotFileSystems() {}

  /**
   * Opens the snapshot {@code selector} picks.
   *
   * @throws RepositoryNotFoundException if the store holds no repository
   * @throws WrongPasswordException if the password opens no key
   * @throws LockConflictException if an exclusive lock (a prune) is held
   * @throws HoldfastException if no snapshot matches, saying what was asked for; nothing is held
   */
  public static FileSystem open(Repository repository, SnapshotSelector selector) {
    io.holdfast.internal.repo.Repository repo = BackupRun.open(repository, Clock.systemUTC(), false);
    RepositoryLock lock = null;
    try {
      lock = RepositoryLock.acquire(repo, false);
      io.holdfast.internal.repo.Repository.Snapshot snap =
          repo.findSnapshot(selector.snapshot(), selector.tags(), selector.asOf());
      RepositoryLock held = lock;
      return SnapshotFileSystem.open(repo, snap, () -> {
        try (repo) {
          held.close();
        }
      });
    } catch (RuntimeException e) {
      BackupRun.close(lock, repo);
      throw e;
    }
  }

  /** Opens the snapshot with this id or unique id prefix, or {@code latest}. */
  public static FileSystem open(Repository repository, String idOrLatest) {
    return open(repository, SnapshotSelector.id(idOrLatest));
  }
}
