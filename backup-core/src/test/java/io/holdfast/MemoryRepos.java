package io.holdfast;

import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/** Repositories in memory with a fast key derivation, for engine tests. */
final class MemoryRepos {
  static final String PASSWORD = "memory-test";

  private MemoryRepos() {}

  /** A new, initialised repository on {@code store}. */
  static Repository create(InMemoryBlobStore store) {
    io.holdfast.internal.repo.Repository.init(store, PASSWORD.toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC()).close();
    return Repository.on(store, PASSWORD::toCharArray);
  }

  /** The ids of the snapshot files in {@code store}. */
  static List<String> snapshotIds(InMemoryBlobStore store) {
    try {
      return store.list(FileType.SNAPSHOT.prefix()).stream()
          .map(b -> b.key().substring(b.key().lastIndexOf('/') + 1)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
