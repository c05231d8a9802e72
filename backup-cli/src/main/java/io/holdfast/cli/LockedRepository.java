package io.holdfast.cli;

import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.BlobStore;
import java.time.Clock;

/**
 * An open repository under a shared lock, for the commands that only read it; closing releases
 * the lock, then the repository.
 */
record LockedRepository(Repository repo, RepositoryLock lock) implements AutoCloseable {
  /**
   * Opens the repository on {@code store} and locks it.
   *
   * @throws io.holdfast.WrongPasswordException if the password opens no key
   * @throws io.holdfast.LockConflictException if another process holds an exclusive lock
   */
  static LockedRepository open(BlobStore store, char[] password) {
    Repository repo = Repository.open(store, password, RepositoryOptions.defaults(), Clock.systemDefaultZone());
    try {
      return new LockedRepository(repo, RepositoryLock.acquire(repo, false));
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.close();
    } finally {
      repo.close();
    }
  }
}
