package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.LockConflictException;
import io.holdfast.PrunePlan;
import io.holdfast.PruneReport;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.internal.checker.StructureChecker;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.testkit.DirectoryListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups, snapshot removals and prunes racing on one repository: whatever the interleaving, every
 * snapshot left restores exactly what was backed up, and the repository's structure is sound.
 */
class PruneConcurrencyTest {
  private static final int WRITERS = 2;
  private static final int ROUNDS = 8;

  @TempDir Path tmp;

  @Test
  void backupsAndPrunesAtTheSameTimeLoseNothing() throws Exception {
    Path repoDir = tmp.resolve("repo");
    TestRepos.init(repoDir).close();
    Repository repo = Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
    byte[] shared = new byte[200 << 10];
    new Random(1).nextBytes(shared);

    Map<String, Path> expected = new ConcurrentHashMap<>();
    List<String> unexpected = new CopyOnWriteArrayList<>();
    AtomicInteger backupConflicts = new AtomicInteger();
    AtomicInteger pruneConflicts = new AtomicInteger();
    AtomicInteger prunes = new AtomicInteger();
    AtomicInteger forgotten = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          Random rnd = new Random(100 + writer);
          for (int round = 0; round < ROUNDS; round++) {
            Path src = Files.createDirectories(tmp.resolve("src-" + writer + "-" + round));
            Files.write(src.resolve("shared.bin"), shared); // the same blob in every snapshot
            byte[] own = new byte[20_000 + rnd.nextInt(300_000)];
            rnd.nextBytes(own);
            Files.write(src.resolve("own.bin"), own);
            Files.writeString(src.resolve("round.txt"), writer + "/" + round);
            for (int attempt = 0; attempt < 50; attempt++) {
              BackupReport r = BackupEngine.run(BackupPlan.builder("w" + writer)
                  .dataset(DirectoryDataset.live("data", src)).repository(repo).build());
              if (r.succeeded()) {
                expected.put(r.snapshotId().orElseThrow(), src);
                Thread.sleep(30 + rnd.nextInt(60)); // a gap between backups, as a schedule leaves
                break;
              }
              if (r.failure().orElseThrow().cause() instanceof LockConflictException) {
                backupConflicts.incrementAndGet();
                Thread.sleep(5);
              } else {
                unexpected.add("backup: " + r.failure().orElseThrow().message());
                return null;
              }
            }
          }
          return null;
        }));
      }
      Future<?> pruner = pool.submit(() -> {
        Random rnd = new Random(7);
        while (writing.get()) {
          forgetOne(repoDir, expected, rnd, forgotten);
          PruneReport r = BackupEngine.run(PrunePlan.builder(repo).maxUnusedPercent(rnd.nextBoolean() ? 0 : 5).build());
          if (r.succeeded()) {
            prunes.incrementAndGet();
          } else if (r.failure().orElseThrow().cause() instanceof LockConflictException) {
            pruneConflicts.incrementAndGet();
          } else {
            unexpected.add("prune: " + r.failure().orElseThrow().message());
            return null;
          }
          Thread.sleep(1 + rnd.nextInt(3));
        }
        return null;
      });
      for (Future<?> f : writers) {
        f.get(5, TimeUnit.MINUTES);
      }
      writing.set(false);
      pruner.get(5, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("prune race: %d snapshots kept, %d forgotten, %d prunes, lock conflicts: %d backup, %d prune%n",
        expected.size(), forgotten.get(), prunes.get(), backupConflicts.get(), pruneConflicts.get());
    assertThat(unexpected).isEmpty();
    assertThat(prunes.get()).isPositive();
    assertThat(forgotten.get()).isPositive();

    BackupEngine.run(PrunePlan.builder(repo).maxUnusedPercent(0).build()).orThrow();
    try (io.holdfast.internal.repo.Repository r = TestRepos.open(repoDir)) {
      StructureChecker.Result check = new StructureChecker(r).check();
      assertThat(check.problems()).isEmpty();
      assertThat(check.unindexedPacks()).isEmpty();
      assertThat(r.list(FileType.SNAPSHOT)).map(Id::hex).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }
    for (Map.Entry<String, Path> e : expected.entrySet()) {
      Path out = tmp.resolve("restore-" + e.getKey());
      BackupEngine.run(RestorePlan.builder(repo).snapshot(e.getKey()).targetRoot(out).build()).orThrow();
      assertThat(DirectoryListing.of(out.resolve("data"))).as(e.getKey()).isEqualTo(DirectoryListing.of(e.getValue()));
    }
  }

  /** Removes one recorded snapshot, under the exclusive lock as restic's forget; skips on a conflict. */
  private static void forgetOne(Path repoDir, Map<String, Path> expected, Random rnd, AtomicInteger forgotten)
      throws Exception {
    List<String> ids = new ArrayList<>(expected.keySet());
    if (ids.size() < 3) {
      return;
    }
    String victim = ids.get(rnd.nextInt(ids.size()));
    try (io.holdfast.internal.repo.Repository r = TestRepos.open(repoDir)) {
      for (int attempt = 0; attempt < 20; attempt++) {
        try (RepositoryLock lock = RepositoryLock.acquire(r, true)) {
          r.store().delete(FileType.SNAPSHOT.key(Id.parse(victim)));
          expected.remove(victim);
          forgotten.incrementAndGet();
          return;
        } catch (LockConflictException e) {
          Thread.sleep(5); // a backup is running
        }
      }
    }
  }
}
