package io.holdfast.examples;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.RestoreReport;
import io.holdfast.posix.CallbackGate;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.posix.LocalBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The quick start: a small in-process calendar server keeps writing events and its index; Holdfast
 * backs it up three times with a gate (pause the writer) and pre-copy (only the change is read
 * while it is paused) into a local repository, then restores the latest snapshot and checks that
 * index and events agree. Prints each hold time and snapshot id, and the verdict.
 *
 * <p>Usage: {@code java -jar examples/target/holdfast-quickstart.jar [WORKDIR]}. The repository is
 * a restic repository: {@code restic -r WORKDIR/repo snapshots} (password {@code quickstart}).
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("holdfast-quickstart");
    Path repoDir = work.resolve("repo");
    Path restored = work.resolve("restored");
    if (Files.exists(repoDir) || Files.exists(restored)) {
      System.err.println(work + " already holds a quick-start run; give an empty or new directory");
      System.exit(2);
    }
    Repository repo = Repository.on(new LocalBlobStore(repoDir), "quickstart"::toCharArray).createIfMissing();
    List<String> violations;
    try (CalendarServer server = new CalendarServer(work.resolve("calendar"), 300, 42);
        BackupEngine engine = BackupEngine.builder().build()) {
      BackupPlan plan = BackupPlan.builder("calendar")
          .dataset(DirectoryDataset.preCopy("calendar", server.root()))
          .gate(CallbackGate.of("calendar-writer", server::pause, server::resume))
          .maxHold(Duration.ofSeconds(10))
          .appVersion("calendar 1.0")
          .repository(repo)
          .build();
      System.out.println("repository   " + repoDir + " (restic format, password 'quickstart')");
      for (int i = 1; i <= 3; i++) {
        Thread.sleep(300);
        BackupReport r = engine.backup(plan).orThrow();
        var d = r.datasets().get(0);
        System.out.printf("backup %d     snapshot %s  gate held %d ms  files new %d, changed %d, unmodified %d"
                + "  (writer at %d changes)%n", i, r.snapshotId().orElseThrow().substring(0, 8),
            r.gateHold().toMillis(), d.filesNew(), d.filesChanged(), d.filesUnmodified(), server.changes());
      }
      RestoreReport rr = engine.restore(RestorePlan.builder(repo).plan("calendar").appVersion("calendar 1.0")
          .targetRoot(restored).build()).orThrow();
      System.out.printf("restore      snapshot %s  %d files, %d bytes in %d ms%n",
          rr.snapshotId().orElseThrow().substring(0, 8), rr.files(), rr.bytes(), rr.duration().toMillis());
      violations = CalendarServer.check(restored.resolve("calendar"));
    }
    if (violations.isEmpty()) {
      System.out.println("verdict      OK: the restored index and events agree");
      System.exit(0);
    }
    System.out.println("verdict      INCONSISTENT: " + violations.size() + " violations, e.g. " + violations.get(0));
    System.exit(1);
  }
}
