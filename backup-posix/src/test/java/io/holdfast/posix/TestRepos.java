package io.holdfast.posix;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Repositories on a local directory, with a fast key derivation so tests stay quick. */
final class TestRepos {
  static final String PASSWORD = "interop-pass";
  static final ScryptParams FAST = new ScryptParams(1024, 8, 1);

  private TestRepos() {}

  static LocalBlobStore store(Path dir) {
    try {
      return new LocalBlobStore(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Repository init(Path dir) {
    return Repository.init(store(dir), PASSWORD.toCharArray(), FAST, RepositoryOptions.defaults(), Clock.systemUTC());
  }

  static Repository open(Path dir) {
    return Repository.open(store(dir), PASSWORD.toCharArray(), RepositoryOptions.defaults(), Clock.systemUTC());
  }

  /** One backup of {@code sources} (name, dir pairs), with the latest snapshot as parent if asked. */
  static Id backup(Repository repo, BackupStats stats, boolean withParent, Archiver.Source... sources) {
    Repository.Snapshot parent = withParent && !repo.snapshots().isEmpty() ? repo.findSnapshot("latest") : null;
    try (Archiver a = new Archiver(repo, 2)) {
      return a.backup(List.of(sources), parent, List.of("test"), stats);
    }
  }
}
