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
 * latest snapshot, as restic picks it) and {@code restore REPO TARGET} (latest snapshot). Also
 * {@code warm REPO DIR N}: N such backups one after another in one JVM, each timed, as a host
 * application running hourly backups sees them. Password from {@code HOLDFAST_PASSWORD}.
 */
public final class EndToEnd {
  private EndToEnd() {}

  private static final long T0 = System.nanoTime();

  /** With HOLDFAST_BENCH_PHASES set, prints how long each phase took (milliseconds since start). */
  private static void phase(String name) {
    if (System.getenv("HOLDFAST_BENCH_PHASES") != null) {
      System.err.printf("%6d ms  %s%n", (System.nanoTime() - T0) / 1_000_000, name);
    }
  }

  public static void main(String[] args) throws Exception {
    phase("main");
    String pw = System.getenv().getOrDefault("HOLDFAST_PASSWORD", "bench");
    int cores = Runtime.getRuntime().availableProcessors();
    Path repoDir = Path.of(args[1]);
    switch (args[0]) {
      case "init" -> Repository.init(new LocalBlobStore(repoDir), pw.toCharArray(), ScryptParams.DEFAULT,
          RepositoryOptions.defaults(), Clock.systemDefaultZone()).close();
      case "backup" -> System.out.println(backup(repoDir, pw, Path.of(args[2]), cores));
      case "warm" -> {
        // A host application's view: backups of the same directory, one after another in one JVM
        // (as BackupScheduler runs them), each opening the repository afresh. The first one pays
        // the JVM's warm-up; the later ones are what an hourly backup costs a running server.
        // An optional fifth argument is a shell command run before each backup but the first (e.g.
        // gen.py mutate), untimed; $RUN in it is the run's number.
        int runs = Integer.parseInt(args[3]);
        for (int i = 1; i <= runs; i++) {
          if (i > 1 && args.length > 4) {
            ProcessBuilder between = new ProcessBuilder("sh", "-c", args[4]).inheritIO()
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            between.environment().put("RUN", Integer.toString(i));
            Process p = between.start();
            if (p.waitFor() != 0) {
              throw new IllegalStateException("between runs: " + args[4] + " exited " + p.exitValue());
            }
          }
          long t = System.nanoTime();
          BackupStats stats = backup(repoDir, pw, Path.of(args[2]), cores);
          System.out.printf("run %d: %.2f s  %s%n", i, (System.nanoTime() - t) / 1e9, stats);
        }
      }
      case "restore" -> {
        try (Repository repo = open(repoDir, pw); RepositoryLock lock = RepositoryLock.acquire(repo, false);
            Restorer r = new Restorer(repo, cores)) {
          phase("opened and locked");
          RestoreStats stats = r.restore(repo.findSnapshot("latest"), "", Path.of(args[2]));
          phase("restore done");
          System.out.println(stats);
        }
      }
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  /** One backup of {@code src} with the latest snapshot of the same path as parent, as restic picks it. */
  private static BackupStats backup(Path repoDir, String pw, Path src, int cores) throws Exception {
    try (Repository repo = open(repoDir, pw); RepositoryLock lock = RepositoryLock.acquire(repo, false);
        Archiver a = new Archiver(repo, cores)) {
      phase("opened and locked");
      Repository.Snapshot parent = repo.snapshots().stream()
          .filter(s -> s.file().paths().equals(List.of(src.toAbsolutePath().toString())))
          .reduce((x, y) -> y).orElse(null);
      phase("parent chosen");
      BackupStats stats = new BackupStats();
      a.backup(List.of(new Archiver.Source(src.getFileName().toString(), src)), parent, List.of(), stats);
      phase("backup done");
      return stats;
    }
  }

  private static Repository open(Path dir, String pw) throws Exception {
    phase("opening");
    return Repository.open(new LocalBlobStore(dir), pw.toCharArray(), RepositoryOptions.defaults(),
        Clock.systemDefaultZone());
  }
}
