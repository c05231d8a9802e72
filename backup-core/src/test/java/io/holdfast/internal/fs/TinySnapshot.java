package io.holdfast.internal.fs;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A one-file snapshot in memory, opened as a file system that owns its repository. */
final class TinySnapshot {
  private TinySnapshot() {}

  static SnapshotFileSystem open(Path tmp) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("hello.txt"), "hello\n");
    Repository repo = Repository.init(new InMemoryBlobStore(), "pw".toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC());
    Id id;
    try (Archiver a = new Archiver(repo, 1)) {
      id = a.backup(List.of(new Archiver.Source("data", src)), null, List.of(), new BackupStats());
    }
    return SnapshotFileSystem.open(repo, repo.loadSnapshot(id), repo);
  }
}
