package io.holdfast.bench;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.posix.LocalBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The Holdfast side of {@code compare.sh}: {@code init REPO}, {@code backup REPO DIR} (parent =
 * latest snapshot, as restic picks it) and {@code restore REPO TARGET} (latest snapshot). Password
 * from {@code HOLDFAST_PASSWORD}.
 */
public final class EndToEnd {
  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    String pw = System.getenv().getOrDefault("HOLDFAST_PASSWORD", "bench");
    int cores = Runtime.getRuntime().availableProcessors();
    Path repoDir = Path.of(args[1]);
    switch (args[0]) {
      case "init" -> Repository.init(new LocalBlobStore(repoDir), pw.toCharArray(), ScryptParams.DEFAULT,
          RepositoryOptions.defaults(), Clock.systemDefaultZone()).close();
      case "backup" -> {
        Path src = Path.of(args[2]);
        try (Repository repo = open(repoDir, pw); RepositoryLock lock = RepositoryLock.acquire(repo, false);
            Archiver a = new Archiver(repo, cores)) {
          Repository.Snapshot parent = repo.snapshots().stream()
              .filter(s -> s.file().paths().equals(List.of(src.toAbsolutePath().toString())))
              .reduce((x, y) -> y).orElse(null);
          BackupStats stats = new BackupStats();
          a.backup(List.of(new Archiver.Source(src.getFileName().toString(), src)), parent, List.of(), stats);
          System.out.println(stats);
        }
      }
      case "restore" -> {
        try (Repository repo = open(repoDir, pw); RepositoryLock lock = RepositoryLock.acquire(repo, false);
            Restorer r = new Restorer(repo, cores)) {
          RestoreStats stats = r.restore(repo.findSnapshot("latest"), "", Path.of(args[2]));
          System.out.println(stats);
        }
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  private static Repository open(Path dir, String pw) throws Exception {
    return Repository.open(new LocalBlobStore(dir), pw.toCharArray(), RepositoryOptions.defaults(),
        Clock.systemDefaultZone());
  }
}
